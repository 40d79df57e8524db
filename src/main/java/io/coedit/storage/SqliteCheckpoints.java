package io.coedit.storage;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import lombok.extern.slf4j.Slf4j;

import org.springframework.jdbc.core.simple.JdbcClient;

import io.coedit.system.DaemonThreads;

/**
 * Moves the SQLite write-ahead log into the database file in the background. SQLite's own automatic checkpoint runs
 * inside whichever commit crosses its threshold, and every client waiting for that commit (and the commits queued
 * behind it, as there is one writer) waits for a copy and a sync of the database file. Here a passive checkpoint
 * runs every second on its own connection, beside the writer; at shutdown a full one leaves the WAL empty.
 */
@Slf4j
final class SqliteCheckpoints implements AutoCloseable {

    static final long INTERVAL_MILLIS = 1000;

    private final JdbcClient jdbc;
    private final ScheduledExecutorService timer;

    private SqliteCheckpoints(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
        this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("coedit-sqlite-checkpoint"));
    }

    static SqliteCheckpoints start(DataSource dataSource) {
        SqliteCheckpoints checkpoints = new SqliteCheckpoints(dataSource);
        checkpoints.timer.scheduleWithFixedDelay(
                () -> checkpoints.checkpoint("PASSIVE"), INTERVAL_MILLIS, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        return checkpoints;
    }

    private void checkpoint(String mode) {
        try {
            jdbc.sql("PRAGMA wal_checkpoint(" + mode + ")").query().listOfRows();
        } catch (RuntimeException ex) {
            log.warn("SQLite checkpoint ({}) failed: {}", mode, ex.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        checkpoint("TRUNCATE");
    }
}
