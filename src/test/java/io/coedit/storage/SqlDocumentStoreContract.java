package io.coedit.storage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import io.coedit.document.AppendOutcome;
import io.coedit.document.CommittedOp;
import io.coedit.document.DocumentId;
import io.coedit.document.DocumentSnapshot;
import io.coedit.document.DocumentStore;
import io.coedit.document.DocumentStoreContract;
import io.coedit.document.LogLimits;
import io.coedit.ot.TextOperation;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store contract on a SQL database, plus what only a database store has: stores that share one database (two
 * instances on PostgreSQL, or one restarted on the same file), snapshots rewritten every few ops, a whole history.
 */
abstract class SqlDocumentStoreContract extends DocumentStoreContract {

    /** Snapshots every few ops, so the contract runs through rebuilding heads from a snapshot and the ops after it. */
    static final int SNAPSHOT_EVERY = 3;

    protected abstract DataSource dataSource();

    protected abstract StorageType type();

    @Override
    protected DocumentStore createStore(LogLimits limits) {
        return SqlStores.store(type(), dataSource(), limits, SNAPSHOT_EVERY);
    }

    @Override
    protected boolean holdsAnything(DocumentId id) {
        JdbcClient jdbc = JdbcClient.create(dataSource());
        long rows = 0;
        for (String table : List.of("documents WHERE id = ?", "ops WHERE doc_id = ?", "op_keys WHERE doc_id = ?")) {
            rows += jdbc.sql("SELECT COUNT(*) FROM " + table)
                    .param(id.value())
                    .query(Long.class)
                    .single();
        }
        return rows > 0;
    }

    private static CommittedOp append(DocumentStore store, DocumentSnapshot head, String text, String clientOpId) {
        TextOperation op = TextOperation.builder()
                .retain(head.content().length())
                .insert(text)
                .build();
        CommittedOp committed = new CommittedOp(head.rev() + 1, op, AUTHOR, clientOpId, Instant.now());
        assertThat(store.append(head.id(), head.epoch(), head.rev(), committed, head.content() + text))
                .isEqualTo(new AppendOutcome.Appended(committed));
        return committed;
    }

    @Test
    void aStoreOpenedLaterOnTheSameDatabaseReadsEveryAcceptedOpAndTheSameEpoch() {
        DocumentId id = newId();
        StringBuilder expected = new StringBuilder();
        for (int i = 1; i <= 10; i++) {
            append(store, store.snapshot(id), "w" + i + " ", "a:" + i);
            expected.append("w").append(i).append(' ');
        }
        DocumentStore reopened = createStore(LogLimits.ofOps(1000));
        DocumentSnapshot head = reopened.snapshot(id);
        assertThat(head).isEqualTo(new DocumentSnapshot(id, store.snapshot(id).epoch(), 10, expected.toString()));
        assertThat(reopened.snapshot(newId()).epoch())
                .as("the genesis epoch outlives a restart")
                .isEqualTo(store.snapshot(newId()).epoch());
        // and it goes on from there: the next op is revision 11, not a second revision 1
        append(reopened, head, "more", "b:1");
        assertThat(store.snapshot(id).content()).isEqualTo(expected + "more");
    }

    @Test
    void keepsTheWholeHistoryByDefault() {
        store = createStore(LogLimits.ofOps(Integer.MAX_VALUE));
        DocumentId id = newId();
        for (int i = 1; i <= 40; i++) {
            append(store, store.snapshot(id), "x", "a:" + i);
        }
        String epoch = store.snapshot(id).epoch();
        assertThat(store.opsSince(id, epoch, 0).orElseThrow())
                .extracting(CommittedOp::rev)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 40).boxed().toList());
        assertThat(store.opsSince(id, epoch, 0, 7).orElseThrow())
                .extracting(CommittedOp::rev)
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(store.opsSince(id, epoch, 38, 7).orElseThrow())
                .extracting(CommittedOp::rev)
                .containsExactly(39L, 40L);
    }

    @Test
    void aStoreWhoseCachedHeadIsBehindCatchesUpFromTheDatabase() {
        DocumentStore one = createStore(LogLimits.ofOps(1000));
        DocumentStore two = createStore(LogLimits.ofOps(1000));
        DocumentId id = newId();
        append(one, one.snapshot(id), "a", "a:1");
        DocumentSnapshot seenByTwo = two.snapshot(id);
        for (int i = 2; i <= 9; i++) {
            append(one, one.snapshot(id), "" + i, "a:" + i);
        }
        // two's cached head is at 1; the head moved: its append is refused, and its next read brings it level
        TextOperation stale = TextOperation.builder().retain(1).insert("!").build();
        assertThat(two.append(id, seenByTwo.epoch(), 1, new CommittedOp(2, stale, AUTHOR, "b:1", Instant.now()), "a!"))
                .isEqualTo(new AppendOutcome.HeadMoved(9));
        assertThat(two.snapshot(id)).isEqualTo(one.snapshot(id));
        assertThat(two.recent(id).orElseThrow().opsAfter(seenByTwo.epoch(), 5))
                .extracting(CommittedOp::rev)
                .containsExactly(6L, 7L, 8L, 9L);
    }

    @Test
    void storesRacingOnOneDocumentCommitEachRevisionExactlyOnce() throws Exception {
        int writers = 4;
        int opsEach = 25;
        DocumentId id = newId();
        List<DocumentStore> stores = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            stores.add(createStore(LogLimits.ofOps(100_000)));
        }
        Set<Long> committedRevs = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                DocumentStore mine = stores.get(w);
                String writer = "w" + w;
                done.add(pool.submit(() -> {
                    for (int n = 1; n <= opsEach; n++) {
                        while (true) {
                            DocumentSnapshot head = mine.snapshot(id);
                            TextOperation op = TextOperation.builder()
                                    .retain(head.content().length())
                                    .insert(writer + "." + n + ";")
                                    .build();
                            CommittedOp candidate =
                                    new CommittedOp(head.rev() + 1, op, AUTHOR, writer + ":" + n, Instant.now());
                            AppendOutcome outcome =
                                    mine.append(id, head.epoch(), head.rev(), candidate, op.apply(head.content()));
                            if (outcome instanceof AppendOutcome.Appended appended) {
                                assertThat(committedRevs.add(appended.op().rev()))
                                        .isTrue();
                                break;
                            }
                            assertThat(outcome).isInstanceOf(AppendOutcome.HeadMoved.class);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        DocumentSnapshot head = stores.get(0).snapshot(id);
        assertThat(head.rev()).isEqualTo((long) writers * opsEach);
        assertThat(committedRevs).hasSize(writers * opsEach);
        List<CommittedOp> log = stores.get(1).opsSince(id, head.epoch(), 0).orElseThrow();
        assertThat(log).extracting(CommittedOp::rev).doesNotHaveDuplicates().hasSize(writers * opsEach);
        for (int w = 0; w < writers; w++) {
            for (int n = 1; n <= opsEach; n++) {
                assertThat(head.content()).containsOnlyOnce("w" + w + "." + n + ";");
            }
        }
    }
}
