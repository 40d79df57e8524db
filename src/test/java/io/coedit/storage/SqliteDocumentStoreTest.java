package io.coedit.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract on the file store: SQLite in a temporary folder, shared by the stores of one test class. */
class SqliteDocumentStoreTest extends SqlDocumentStoreContract {

    private static SqlStores.Sqlite database;

    @BeforeAll
    static void openDatabase() throws IOException {
        Path folder = Files.createTempDirectory("coedit-sqlite-");
        database = SqlStores.Sqlite.open(folder);
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @Override
    protected StorageType type() {
        return StorageType.FILE;
    }

    @Override
    protected DataSource dataSource() {
        return database.dataSource();
    }
}
