package io.coedit.storage;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.transaction.support.TransactionTemplate;

import io.coedit.document.AppendOutcome;
import io.coedit.document.Author;
import io.coedit.document.CommittedOp;
import io.coedit.ot.TextOperation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Commits of many callers in shared transactions, on a real SQLite database. */
class GroupCommitTest {

    /** Daemon threads: a caller left waiting must fail the test, not keep the test JVM alive. */
    private static final CustomizableThreadFactory DAEMONS = daemons();

    private SqlStores.Sqlite database;
    private JdbcClient jdbc;
    private GroupCommit groupCommit;

    @BeforeEach
    void openDatabase() throws Exception {
        database = SqlStores.Sqlite.open(Files.createTempDirectory("coedit-group-commit-"));
        jdbc = JdbcClient.create(database.dataSource());
        jdbc.sql("CREATE TABLE written (caller VARCHAR(32) PRIMARY KEY)").update();
        groupCommit = new GroupCommit(
                new TransactionTemplate(new DataSourceTransactionManager(database.dataSource())), 1, 64);
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    private static AppendOutcome.Appended appended(String caller) {
        return new AppendOutcome.Appended(new CommittedOp(
                1, TextOperation.builder().insert("x").build(), new Author("u", "U"), caller, Instant.EPOCH));
    }

    private AppendOutcome write(String caller) {
        jdbc.sql("INSERT INTO written (caller) VALUES (?)").param(caller).update();
        return appended(caller);
    }

    private long rows() {
        return jdbc.sql("SELECT COUNT(*) FROM written").query(Long.class).single();
    }

    @Test
    void everyCallerGetsItsOwnOutcomeAndNoneIsLeftWaitingWhenTheLoadStops() {
        int callers = 16;
        int commitsEach = 150;
        AtomicInteger inTransactionTogether = new AtomicInteger();
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            ExecutorService pool = Executors.newFixedThreadPool(callers, DAEMONS);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < callers; c++) {
                    int caller = c;
                    done.add(pool.submit(() -> {
                        for (int n = 0; n < commitsEach; n++) {
                            String id = caller + ":" + n;
                            AppendOutcome outcome =
                                    groupCommit.commit("doc-" + caller, () -> GroupCommit.Done.of(write(id)));
                            assertThat(outcome).isEqualTo(appended(id));
                        }
                        return null;
                    }));
                }
                for (Future<?> future : done) {
                    future.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
        });
        assertThat(rows()).isEqualTo((long) callers * commitsEach);
    }

    @Test
    void aRefusedOrRetriedCommitIsRolledBackAloneWhileAKeptRefusalStaysInASharedTransaction() throws Exception {
        // hold the writer so that the next commits queue up and go in one batch
        ExecutorService pool = Executors.newFixedThreadPool(5, DAEMONS);
        try {
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<AppendOutcome> first = pool.submit(() -> groupCommit.commit("a", () -> {
                holding.countDown();
                await(release);
                return GroupCommit.Done.of(write("first"));
            }));
            holding.await();
            Future<AppendOutcome> kept =
                    pool.submit(() -> groupCommit.commit("b", () -> GroupCommit.Done.of(write("kept"))));
            Future<AppendOutcome> refused = pool.submit(() -> groupCommit.commit("c", () -> {
                write("refused");
                return GroupCommit.Done.of(new AppendOutcome.HeadMoved(7));
            }));
            Future<AppendOutcome> claimed = pool.submit(() -> groupCommit.commit("c2", () -> {
                write("claimed");
                return new GroupCommit.Done(new AppendOutcome.HeadMoved(8), true);
            }));
            Future<AppendOutcome> retried = pool.submit(() -> groupCommit.commit("d", () -> {
                write("retried");
                throw new GroupCommit.RetryException();
            }));
            Future<AppendOutcome> alsoKept =
                    pool.submit(() -> groupCommit.commit("e", () -> GroupCommit.Done.of(write("also kept"))));
            Thread.sleep(200); // all five are queued behind the held batch
            release.countDown();
            assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(appended("first"));
            assertThat(kept.get(30, TimeUnit.SECONDS)).isEqualTo(appended("kept"));
            assertThat(refused.get(30, TimeUnit.SECONDS)).isEqualTo(new AppendOutcome.HeadMoved(7));
            assertThat(claimed.get(30, TimeUnit.SECONDS)).isEqualTo(new AppendOutcome.HeadMoved(8));
            assertThatThrownBy(() -> retried.get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(GroupCommit.RetryException.class);
            assertThat(alsoKept.get(30, TimeUnit.SECONDS)).isEqualTo(appended("also kept"));
            assertThat(jdbc.sql("SELECT caller FROM written ORDER BY caller")
                            .query(String.class)
                            .list())
                    .containsExactly("also kept", "claimed", "first", "kept");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aCommitAloneKeepsWhatItWroteWhenItSaysSoEvenWithoutAppending() {
        assertThat(groupCommit.commit("a", () -> {
                    write("claimed");
                    return new GroupCommit.Done(new AppendOutcome.HeadMoved(3), true);
                }))
                .isEqualTo(new AppendOutcome.HeadMoved(3));
        assertThat(groupCommit.commit("b", () -> {
                    write("refused");
                    return GroupCommit.Done.of(new AppendOutcome.HeadMoved(3));
                }))
                .isEqualTo(new AppendOutcome.HeadMoved(3));
        assertThat(jdbc.sql("SELECT caller FROM written").query(String.class).list())
                .containsExactly("claimed");
    }

    @Test
    void aFailingDatabaseFailsTheWholeBatchAndWritesNothing() {
        assertThatThrownBy(() -> groupCommit.commit("a", () -> {
                    write("half");
                    jdbc.sql("INSERT INTO no_such_table VALUES (1)").update();
                    return GroupCommit.Done.of(appended("never"));
                }))
                .isInstanceOf(RuntimeException.class);
        assertThat(rows()).isZero();
    }

    private static CustomizableThreadFactory daemons() {
        CustomizableThreadFactory factory = new CustomizableThreadFactory("group-commit-test-");
        factory.setDaemon(true);
        return factory;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
