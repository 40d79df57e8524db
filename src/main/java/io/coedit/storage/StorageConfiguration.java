package io.coedit.storage;

import java.nio.file.Path;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import lombok.extern.slf4j.Slf4j;
import org.flywaydb.core.Flyway;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.coedit.document.CommitFeed;
import io.coedit.document.DocumentProperties;
import io.coedit.document.HeadCache;
import io.coedit.document.LogLimits;

/**
 * The SQL document stores of {@code coedit.storage.type}: the SQLite file and PostgreSQL. The memory store lives
 * with the rest of the one-instance mode, the Redis store with the Redis adapter ({@code cluster}). A combination
 * that cannot work stops the start-up with what to set.
 */
@Slf4j
@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

    static final String FILE_NAME = "coedit.db";
    static final String MIGRATIONS = "classpath:io/coedit/storage/migration";

    /** The storage type in force (checked against the cluster mode by {@link StorageTypeCheck} at start-up). */
    record StorageSelection(StorageType type) {}

    @Bean
    StorageSelection storageSelection(Environment environment) {
        return new StorageSelection(StorageType.inForce(environment));
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnStorage(StorageType.FILE)
    FileStoreLock fileStoreLock(StorageSelection selection, StorageProperties properties) {
        return FileStoreLock.acquire(properties.path());
    }

    /**
     * SQLite in WAL mode: readers never wait for the writer. Write transactions begin IMMEDIATE, so a second
     * writer waits for the first (busy timeout) instead of failing when it upgrades its read lock.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnStorage(StorageType.FILE)
    HikariDataSource fileDataSource(FileStoreLock lock, StorageProperties properties) {
        Path file = properties.path().toAbsolutePath().normalize().resolve(FILE_NAME);
        HikariConfig config = pool("coedit-sqlite", properties);
        config.setDriverClassName("org.sqlite.JDBC");
        config.setJdbcUrl("jdbc:sqlite:" + file);
        config.addDataSourceProperty("journal_mode", "WAL");
        config.addDataSourceProperty("synchronous", properties.fileSync().name());
        config.addDataSourceProperty("busy_timeout", "10000");
        config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        // checkpoints run in the background (SqliteCheckpoints), never inside a commit that clients wait for
        config.setConnectionInitSql("PRAGMA wal_autocheckpoint=0");
        HikariDataSource dataSource = open(
                config,
                "The file store " + file,
                "Check that " + file + " is a Coedit SQLite database this process may write, or set"
                        + " coedit.storage.path to another folder.");
        log.info("Documents are stored in SQLite at {} (WAL, synchronous={})", file, properties.fileSync());
        return dataSource;
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnStorage(StorageType.FILE)
    SqliteCheckpoints sqliteCheckpoints(HikariDataSource fileDataSource) {
        return SqliteCheckpoints.start(fileDataSource);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnStorage(StorageType.POSTGRES)
    HikariDataSource postgresDataSource(
            StorageSelection selection, StorageProperties properties, DataSourceSettings settings) {
        HikariConfig config = pool("coedit-postgres", properties);
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.username());
        config.setPassword(settings.password());
        // a database that stops answering fails the statement instead of holding a submit lane
        config.addDataSourceProperty("connectTimeout", "5");
        config.addDataSourceProperty("socketTimeout", "30");
        HikariDataSource dataSource = open(
                config,
                "PostgreSQL at " + settings.safeUrl(),
                "Check spring.datasource.url, spring.datasource.username and spring.datasource.password, and that the"
                        + " database accepts connections from here.");
        log.info("Documents are stored in PostgreSQL at {}", settings.safeUrl());
        return dataSource;
    }

    @Bean
    @ConditionalOnStorage({StorageType.FILE, StorageType.POSTGRES})
    JdbcDocumentStore jdbcDocumentStore(
            StorageSelection selection,
            DataSource dataSource,
            StorageProperties properties,
            DocumentProperties documents,
            ObjectProvider<CommitFeed> feed) {
        LogLimits limits = new LogLimits(
                properties.retention().opsOrAll(),
                properties.retention().bytesOrAll(),
                documents.opIdWindow(),
                documents.opIdMax());
        return new JdbcDocumentStore(
                dataSource,
                limits,
                properties.snapshotEvery(),
                new HeadCache(
                        properties.cachedDocuments(), properties.cachedBytes().toBytes()),
                feed.getIfAvailable(() -> CommitFeed.NONE),
                writers(selection.type(), properties.poolSize()),
                JdbcDocumentStore.COMMIT_CLAIM);
    }

    /** Transactions committing at once: SQLite has one writer; PostgreSQL keeps half the pool for reads. */
    static int writers(StorageType type, int poolSize) {
        return type == StorageType.FILE ? 1 : Math.max(1, poolSize / 2);
    }

    /** Readiness: the database answers (always UP for the memory and Redis stores; Redis has its own check). */
    @Bean
    HealthIndicator storageHealthIndicator(StorageSelection selection, ObjectProvider<DataSource> dataSource) {
        DataSource database = dataSource.getIfAvailable();
        String type = selection.type().propertyValue();
        if (database == null) {
            return () -> Health.up().withDetail("type", type).build();
        }
        return () -> {
            try (var connection = database.getConnection()) {
                return connection.isValid(2)
                        ? Health.up().withDetail("type", type).build()
                        : Health.down()
                                .withDetail("type", type)
                                .withDetail("database", "not answering")
                                .build();
            } catch (Exception ex) {
                return Health.down()
                        .withDetail("type", type)
                        .withDetail("database", "unreachable")
                        .build();
            }
        };
    }

    private static HikariConfig pool(String name, StorageProperties properties) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setMaximumPoolSize(properties.poolSize());
        config.setConnectionTimeout(Math.max(250, properties.connectionTimeout().toMillis()));
        config.setValidationTimeout(
                Math.max(250, Math.min(1000, properties.connectionTimeout().toMillis())));
        return config;
    }

    /** Opens the pool and brings the schema up to date; either failing stops the start-up with what to check. */
    private static HikariDataSource open(HikariConfig config, String what, String action) {
        HikariDataSource dataSource = null;
        try {
            dataSource = new HikariDataSource(config);
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations(MIGRATIONS)
                    .load()
                    .migrate();
            return dataSource;
        } catch (RuntimeException ex) {
            if (dataSource != null) {
                dataSource.close();
            }
            Throwable cause = ex;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            throw new StorageStartupException(what + " cannot be opened: " + cause.getMessage(), action, ex);
        }
    }
}
