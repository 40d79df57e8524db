package io.coedit.storage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import io.coedit.document.AppendOutcome;
import io.coedit.document.CommitFeed;
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

    /** An insert of {@code text} at the end of {@code head}, as the next revision. */
    private static CommittedOp typed(DocumentSnapshot head, String text, String clientOpId) {
        TextOperation op = TextOperation.builder()
                .retain(head.content().length())
                .insert(text)
                .build();
        return new CommittedOp(head.rev() + 1, op, AUTHOR, clientOpId, Instant.now());
    }

    private static CommittedOp append(DocumentStore store, DocumentSnapshot head, String text, String clientOpId) {
        CommittedOp committed = typed(head, text, clientOpId);
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
        // more ops than a lost commit's answer carries, so that only a read can bring two level
        for (int i = 2; i <= 70; i++) {
            append(one, one.snapshot(id), "" + i, "a:" + i);
        }
        // two's cached head is at 1; the head moved: its append is refused, and its next read brings it level
        TextOperation stale = TextOperation.builder().retain(1).insert("!").build();
        assertThat(two.append(id, seenByTwo.epoch(), 1, new CommittedOp(2, stale, AUTHOR, "b:1", Instant.now()), "a!"))
                .isEqualTo(new AppendOutcome.HeadMoved(70));
        assertThat(two.recent(id).orElseThrow().head().rev()).isEqualTo(1);
        assertThat(two.snapshot(id)).isEqualTo(one.snapshot(id));
        assertThat(two.recent(id).orElseThrow().opsAfter(seenByTwo.epoch(), 66))
                .extracting(CommittedOp::rev)
                .containsExactly(67L, 68L, 69L, 70L);
    }

    /**
     * Stores on the one database, as instances of a cluster: each hears of the others' commits as the relay tells
     * them, and claims the next commit for {@code claim} when one of its commits lost a race.
     */
    private List<JdbcDocumentStore> relayedStores(int count, Duration claim) {
        List<JdbcDocumentStore> stores = new CopyOnWriteArrayList<>();
        for (int i = 0; i < count; i++) {
            int self = i;
            CommitFeed relay = (id, epoch, ops) -> {
                for (int other = 0; other < stores.size(); other++) {
                    if (other != self) {
                        JdbcDocumentStore hearing = stores.get(other);
                        ops.forEach(op -> hearing.committedElsewhere(id, epoch, op));
                    }
                }
            };
            stores.add(SqlStores.store(type(), dataSource(), LogLimits.ofOps(100_000), SNAPSHOT_EVERY, relay, claim));
        }
        return stores;
    }

    @Test
    void aCommitThatLostARaceHoldsTheOtherInstancesNextCommitUntilItsRetryCommits() throws Exception {
        List<JdbcDocumentStore> stores = relayedStores(2, Duration.ofSeconds(60));
        JdbcDocumentStore one = stores.get(0);
        JdbcDocumentStore two = stores.get(1);
        DocumentId id = newId();
        DocumentSnapshot seenByTwo = two.snapshot(id);
        append(one, one.snapshot(id), "a", "one:1");
        // two's commit was tried on the head before one's: it loses, and two claims the next commit
        CommittedOp lost = typed(seenByTwo, "x", "two:1");
        assertThat(two.append(id, seenByTwo.epoch(), 0, lost, "x")).isEqualTo(new AppendOutcome.HeadMoved(1));
        // one's next commit is held: it writes nothing and is not answered while two has not committed
        DocumentSnapshot atOne = one.snapshot(id);
        CompletableFuture<AppendOutcome> held = one.appendAllAsync(
                        id, atOne.epoch(), 1, List.of(typed(atOne, "b", "one:2")), "ab")
                .toCompletableFuture();
        Thread.sleep(100);
        assertThat(held).as("held while two's claim lasts").isNotDone();
        assertThat(one.snapshot(id).rev()).isEqualTo(1);
        // two's retry commits, and the relay telling one of it is what ends the hold, long before the claim would
        append(two, two.snapshot(id), "y", "two:1");
        assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo(new AppendOutcome.HeadMoved(2));
        // the claim ended with two's commit: one's retry commits on the head the relay brought
        DocumentSnapshot relayed = one.recent(id).orElseThrow().head();
        assertThat(relayed.rev()).isEqualTo(2);
        append(one, relayed, "b", "one:2");
        assertThat(two.snapshot(id).content()).isEqualTo("ayb");
    }

    @Test
    void aCommitHeldForAClaimantThatNeverRetriesGoesThroughOnceTheClaimRunsOut() throws Exception {
        Duration claim = Duration.ofMillis(300);
        List<JdbcDocumentStore> stores = relayedStores(2, claim);
        JdbcDocumentStore one = stores.get(0);
        JdbcDocumentStore two = stores.get(1);
        DocumentId id = newId();
        DocumentSnapshot seenByTwo = two.snapshot(id);
        append(one, one.snapshot(id), "a", "one:1");
        long claimedAt = System.nanoTime();
        assertThat(two.append(id, seenByTwo.epoch(), 0, typed(seenByTwo, "x", "two:1"), "x"))
                .isEqualTo(new AppendOutcome.HeadMoved(1));
        DocumentSnapshot atOne = one.snapshot(id);
        CommittedOp next = typed(atOne, "b", "one:2");
        assertThat(one.append(id, atOne.epoch(), 1, next, "ab")).isEqualTo(new AppendOutcome.HeadMoved(1));
        assertThat(Duration.ofNanos(System.nanoTime() - claimedAt))
                .as("answered when the claim ran out")
                .isGreaterThanOrEqualTo(claim.minusMillis(10));
        append(one, atOne, "b", "one:2");
    }

    @Test
    void aClaimFurtherAheadThanAClaimLastsComesFromASkewedClockAndHoldsNothing() {
        DocumentId id = newId();
        append(store, store.snapshot(id), "a", "a:1");
        JdbcClient jdbc = JdbcClient.create(dataSource());
        long now = System.currentTimeMillis();
        jdbc.sql("UPDATE documents SET claim_by = 'elsewhere', claim_until = ? WHERE id = ?")
                .params(now + JdbcDocumentStore.COMMIT_CLAIM.toMillis() + 60_000, id.value())
                .update();
        append(store, store.snapshot(id), "b", "a:2");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM documents WHERE id = ? AND claim_by IS NULL")
                        .param(id.value())
                        .query(Long.class)
                        .single())
                .as("a commit ends any claim")
                .isEqualTo(1);
    }

    @Test
    void aLostCommitBringsItsInstancesHeadLevelWithTheOpsItLostTo() {
        DocumentStore one = createStore(LogLimits.ofOps(1000));
        DocumentStore two = createStore(LogLimits.ofOps(1000));
        DocumentId id = newId();
        append(one, one.snapshot(id), "a", "a:1");
        DocumentSnapshot seenByTwo = two.snapshot(id);
        append(one, one.snapshot(id), "b", "a:2");
        append(one, one.snapshot(id), "c", "a:3");
        assertThat(two.append(id, seenByTwo.epoch(), 1, typed(seenByTwo, "!", "b:1"), "a!"))
                .isEqualTo(new AppendOutcome.HeadMoved(3));
        // no relay between these two: the answer itself brought the ops, so the retry places without a read
        assertThat(two.recent(id).orElseThrow().head()).isEqualTo(one.snapshot(id));
    }

    @Test
    void storesRacingOnOneDocumentCommitEachRevisionExactlyOnce() throws Exception {
        int writers = 4;
        int opsEach = 25;
        DocumentId id = newId();
        List<JdbcDocumentStore> stores = relayedStores(writers, JdbcDocumentStore.COMMIT_CLAIM);
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
