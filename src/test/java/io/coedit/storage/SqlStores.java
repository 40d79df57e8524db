package io.coedit.storage;

import java.nio.file.Path;
import java.time.Duration;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.util.unit.DataSize;

import io.coedit.document.CommitFeed;
import io.coedit.document.HeadCache;
import io.coedit.document.LogLimits;
import io.coedit.support.PostgresServer;

/** The SQL stores as the application builds them (same pool settings, same migrations), for store-level tests. */
final class SqlStores {

    private SqlStores() {}

    static StorageProperties properties(StorageType type, Path folder) {
        return new StorageProperties(
                type,
                folder,
                StorageProperties.FileSync.FULL,
                100,
                new StorageProperties.Retention(0, DataSize.ofBytes(0)),
                1000,
                DataSize.ofMegabytes(256),
                8,
                Duration.ofSeconds(2));
    }

    /** A migrated SQLite database in {@code folder}, and the folder's lock, both released by close. */
    record Sqlite(HikariDataSource dataSource, FileStoreLock lock) implements AutoCloseable {

        static Sqlite open(Path folder) {
            FileStoreLock lock = FileStoreLock.acquire(folder);
            return new Sqlite(
                    new StorageConfiguration().fileDataSource(lock, properties(StorageType.FILE, folder)), lock);
        }

        @Override
        public void close() {
            dataSource.close();
            lock.close();
        }
    }

    /** A migrated PostgreSQL database on {@code server}. */
    static HikariDataSource postgres(PostgresServer server) {
        return new StorageConfiguration()
                .postgresDataSource(
                        null,
                        properties(StorageType.POSTGRES, Path.of(".")),
                        new DataSourceSettings(server.jdbcUrl(), PostgresServer.USER, ""));
    }

    static JdbcDocumentStore store(StorageType type, DataSource dataSource, LogLimits limits, int snapshotEvery) {
        return store(type, dataSource, limits, snapshotEvery, CommitFeed.NONE, JdbcDocumentStore.COMMIT_CLAIM);
    }

    /** A store whose commits {@code feed} hears of (as the relay does), that claims next commits for {@code claim}. */
    static JdbcDocumentStore store(
            StorageType type,
            DataSource dataSource,
            LogLimits limits,
            int snapshotEvery,
            CommitFeed feed,
            Duration claim) {
        return new JdbcDocumentStore(
                dataSource,
                limits,
                snapshotEvery,
                new HeadCache(1000, 64L << 20),
                feed,
                StorageConfiguration.writers(type, 8),
                claim);
    }
}
