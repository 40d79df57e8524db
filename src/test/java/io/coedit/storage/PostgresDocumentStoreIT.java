package io.coedit.storage;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.coedit.support.PostgresServer;

/** The contract on a real PostgreSQL server, shared by the stores of this class as instances of a cluster share it. */
class PostgresDocumentStoreIT extends SqlDocumentStoreContract {

    private static PostgresServer server;
    private static HikariDataSource dataSource;

    @BeforeAll
    static void startDatabase() {
        server = PostgresServer.start();
        dataSource = SqlStores.postgres(server);
    }

    @AfterAll
    static void stopDatabase() {
        if (dataSource != null) {
            dataSource.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected StorageType type() {
        return StorageType.POSTGRES;
    }

    @Override
    protected DataSource dataSource() {
        return dataSource;
    }
}
