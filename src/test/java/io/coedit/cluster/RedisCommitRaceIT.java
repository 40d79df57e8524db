package io.coedit.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.coedit.document.AppendOutcome;
import io.coedit.document.Author;
import io.coedit.document.CommittedOp;
import io.coedit.document.DocumentId;
import io.coedit.document.DocumentProperties;
import io.coedit.document.DocumentService;
import io.coedit.document.DocumentSnapshot;
import io.coedit.document.LogLimits;
import io.coedit.document.SubmitResult;
import io.coedit.ot.TextOperation;
import io.coedit.support.MutableClock;
import io.coedit.support.RandomEdits;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Instances racing for the same revision: each writer is a {@link DocumentService} on its own store, connection
 * and cache, as separate processes would be, so only the commit script's head check stands between them.
 */
class RedisCommitRaceIT {

    private static final int WRITERS = 3;
    private static final int ROUNDS = 1000;
    private static final int RETAINED = WRITERS * ROUNDS + 1;

    private static RedisInstances instances;

    @BeforeAll
    static void startRedis() {
        instances = RedisInstances.onNewRedis();
        instances.loadScripts();
    }

    @AfterAll
    static void stopRedis() {
        if (instances != null) {
            instances.close();
        }
    }

    @Test
    void writersOnTheSameBaseRevisionGetOneRevisionEachAndConverge() throws Exception {
        long seed = System.nanoTime();
        DocumentId id = new DocumentId("race-" + seed);
        DocumentProperties properties = new DocumentProperties(2_000_000, RETAINED);
        List<DocumentService> services = new ArrayList<>();
        for (RedisDocumentStore store : relayedInstances(WRITERS)) {
            services.add(new DocumentService(store, properties, Clock.systemUTC()));
        }
        CyclicBarrier barrier = new CyclicBarrier(WRITERS);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<Future<List<SubmitResult>>> writers = new ArrayList<>();
        try {
            for (int w = 0; w < WRITERS; w++) {
                DocumentService service = services.get(w);
                RandomEdits random = new RandomEdits(seed + w);
                String clientId = "writer" + w;
                writers.add(pool.submit(() -> {
                    List<SubmitResult> results = new ArrayList<>();
                    for (int round = 0; round < ROUNDS; round++) {
                        // everyone reads the head after the previous round is committed, then all submit at once
                        barrier.await(10, TimeUnit.SECONDS);
                        DocumentSnapshot base = service.snapshot(id);
                        TextOperation op = random.smallEdit(base.content());
                        barrier.await(10, TimeUnit.SECONDS);
                        results.add(service.submit(
                                id,
                                base.epoch(),
                                base.rev(),
                                op,
                                clientId + ":" + round,
                                new Author(clientId, clientId)));
                    }
                    return results;
                }));
            }
            List<List<SubmitResult>> results = new ArrayList<>();
            for (Future<List<SubmitResult>> writer : writers) {
                results.add(writer.get(120, TimeUnit.SECONDS));
            }
            assertRevisionsUniqueAndRoundByRound(seed, results);
        } finally {
            pool.shutdownNow();
        }

        DocumentSnapshot head = instances.newInstance(RETAINED, 100).snapshot(id);
        assertThat(head.rev()).as("seed %d", seed).isEqualTo((long) WRITERS * ROUNDS);
        List<CommittedOp> log =
                services.get(0).opsSince(id, head.epoch(), 0, Integer.MAX_VALUE).orElseThrow();
        String replayed = "";
        for (int i = 0; i < log.size(); i++) {
            assertThat(log.get(i).rev()).as("seed %d", seed).isEqualTo(i + 1);
            replayed = log.get(i).op().apply(replayed);
        }
        assertThat(replayed).as("seed %d", seed).isEqualTo(head.content());
        for (DocumentService service : services) {
            assertThat(service.snapshot(id)).as("seed %d", seed).isEqualTo(head);
        }
    }

    /**
     * Stores of separate instances whose commits reach the others' head caches as the relay brings them (a commit
     * held while another instance that lost a race commits waits for that), with compaction every 100 ops.
     */
    private static List<RedisDocumentStore> relayedInstances(int count) {
        List<RedisDocumentStore> stores = new CopyOnWriteArrayList<>();
        for (int i = 0; i < count; i++) {
            stores.add(instances.newInstance(
                    LogLimits.ofOps(RETAINED),
                    100,
                    "relayed-" + UUID.randomUUID(),
                    (redis, settings, background) -> new RedisDocumentStore(redis, settings, background) {
                        @Override
                        public CompletionStage<AppendOutcome> appendAllAsync(
                                DocumentId id, String epoch, long headRev, List<CommittedOp> ops, String content) {
                            return super.appendAllAsync(id, epoch, headRev, ops, content)
                                    .thenApply(outcome -> {
                                        if (outcome instanceof AppendOutcome.Appended) {
                                            stores.stream()
                                                    .filter(other -> other != this)
                                                    .forEach(other ->
                                                            ops.forEach(op -> other.committedElsewhere(id, epoch, op)));
                                        }
                                        return outcome;
                                    });
                        }
                    }));
        }
        return stores;
    }

    /** Each round's submits all start from the same revision, so they must take exactly the next WRITERS. */
    private static void assertRevisionsUniqueAndRoundByRound(long seed, List<List<SubmitResult>> results) {
        List<Long> all = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            List<Long> revs = new ArrayList<>();
            for (List<SubmitResult> writer : results) {
                SubmitResult result = writer.get(round);
                assertThat(result).as("seed %d", seed).isInstanceOf(SubmitResult.Accepted.class);
                revs.add(result.rev());
            }
            Collections.sort(revs);
            List<Long> expected = new ArrayList<>();
            for (int w = 1; w <= WRITERS; w++) {
                expected.add((long) round * WRITERS + w);
            }
            assertThat(revs).as("seed %d round %d", seed, round).isEqualTo(expected);
            all.addAll(revs);
        }
        assertThat(all).as("seed %d", seed).doesNotHaveDuplicates().hasSize(WRITERS * ROUNDS);
    }

    /** Two instances' services on one document, A's head read at revision 1 and B's commit of revision 2 unseen. */
    private record Behind(DocumentId id, DocumentService a, String epoch, SubmitResult.Accepted second) {}

    private static Behind aBehindAtRevisionOne(RedisDocumentStore storeA) {
        DocumentId id = new DocumentId("behind-" + System.nanoTime());
        DocumentProperties properties = new DocumentProperties(2_000_000, 100);
        DocumentService a = new DocumentService(storeA, properties, Clock.systemUTC());
        DocumentService b = new DocumentService(instances.newInstance(100, 100), properties, Clock.systemUTC());
        Author bob = new Author("bob", "Bob");
        String epoch = b.snapshot(id).epoch();
        b.submit(id, epoch, 0, TextOperation.builder().insert("hello").build(), "b:1", bob);
        assertThat(a.snapshot(id).rev()).isEqualTo(1);
        SubmitResult second = b.submit(
                id, epoch, 1, TextOperation.builder().retain(5).insert(" world").build(), "b:2", bob);
        return new Behind(id, a, epoch, (SubmitResult.Accepted) second);
    }

    private static SubmitResult exclaimOnRevisionOne(Behind behind) {
        return behind.a()
                .submit(
                        behind.id(),
                        behind.epoch(),
                        1,
                        TextOperation.builder().insert("¡").retain(5).build(),
                        "a:1",
                        new Author("ann", "Ann"));
    }

    @Test
    void aCommitThatLostToAnotherInstanceIsRetriedOnTheOpsItsAnswerBroughtWithoutARead() {
        Behind behind = aBehindAtRevisionOne(instances.newInstance(100, 100));
        long before = instances.scriptsRun();

        SubmitResult result = exclaimOnRevisionOne(behind);

        // the commit on the head A knew (lost, answered with the op it lost to), the commit after it
        assertThat(instances.scriptsRun() - before).isEqualTo(2);
        assertThat(result).isInstanceOf(SubmitResult.Accepted.class);
        assertThat(result.rev()).isEqualTo(3);
        assertThat(behind.a().snapshot(behind.id()).content()).isEqualTo("¡hello world");
    }

    @Test
    void aCommitThatLostToManyOpsIsRetriedAfterOneReadOfTheHeadNotAReadOfTheLogToo() {
        Behind behind = aBehindAtRevisionOne(instances.newInstance(100, 100));
        DocumentService b = new DocumentService(
                instances.newInstance(100, 100), new DocumentProperties(2_000_000, 100), Clock.systemUTC());
        for (long rev = 2; rev < 80; rev++) {
            b.submit(
                    behind.id(),
                    behind.epoch(),
                    rev,
                    TextOperation.builder().retain((int) rev + 9).insert("!").build(),
                    "b:" + (rev + 1),
                    new Author("bob", "Bob"));
        }
        long before = instances.scriptsRun();

        SubmitResult result = exclaimOnRevisionOne(behind);

        // the commit on the head A knew (lost: too far behind for the answer to carry the ops), the head read with
        // the ops since, the commit on it
        assertThat(instances.scriptsRun() - before).isEqualTo(3);
        assertThat(result.rev()).isEqualTo(81);
        assertThat(behind.a().snapshot(behind.id()).content()).isEqualTo("¡hello world" + "!".repeat(78));
    }

    @Test
    void aCommitThatLostToAnOpTheRelayHasSinceBroughtIsRetriedOnItWithoutAnyRead() {
        AtomicReference<Runnable> relay = new AtomicReference<>(() -> {});
        RedisDocumentStore storeA = instances.newInstance(
                LogLimits.ofOps(100),
                100,
                "relayed-" + System.nanoTime(),
                (redis, settings, background) -> new RedisDocumentStore(redis, settings, background) {
                    @Override
                    public AppendOutcome appendAll(
                            DocumentId id, String epoch, long expectedHeadRev, List<CommittedOp> ops, String content) {
                        AppendOutcome outcome = super.appendAll(id, epoch, expectedHeadRev, ops, content);
                        // the winning commit's relayed op arrives with the answer that it won
                        relay.getAndSet(() -> {}).run();
                        return outcome;
                    }
                });
        Behind behind = aBehindAtRevisionOne(storeA);
        relay.set(() -> storeA.committedElsewhere(
                behind.id(), behind.epoch(), behind.second().op()));
        long before = instances.scriptsRun();

        SubmitResult result = exclaimOnRevisionOne(behind);

        // the commit on the head A knew (lost), then the commit on the relayed head
        assertThat(instances.scriptsRun() - before).isEqualTo(2);
        assertThat(result.rev()).isEqualTo(3);
        assertThat(behind.a().snapshot(behind.id()).content()).isEqualTo("¡hello world");
    }

    @Test
    void aRetryWhoseBaseIsOlderThanTheOpsTheHeadStillKeepsUsesTheOpsItsFirstTryHadWithoutARead() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-06T10:00:00Z"));
        DocumentId id = new DocumentId("old-base-" + System.nanoTime());
        DocumentProperties properties = new DocumentProperties(2_000_000, 100);
        DocumentService a = new DocumentService(instances.newInstance(100, 100), properties, clock);
        DocumentService b = new DocumentService(instances.newInstance(100, 100), properties, clock);
        Author bob = new Author("bob", "Bob");
        String epoch = b.snapshot(id).epoch();
        b.submit(id, epoch, 0, TextOperation.builder().insert("hello").build(), "b:1", bob);
        assertThat(a.snapshot(id).rev()).isEqualTo(1);
        // long enough for a head to let go of rev 1 once rev 2 is in (HeadCache.RECENT_OPS_AGE)
        clock.advance(Duration.ofSeconds(3));
        b.submit(
                id, epoch, 1, TextOperation.builder().retain(5).insert(" world").build(), "b:2", bob);
        long before = instances.scriptsRun();

        // written on the empty document, before A saw anything
        SubmitResult result =
                a.submit(id, epoch, 0, TextOperation.builder().insert("¡").build(), "a:1", new Author("ann", "Ann"));

        // the commit on rev 1 (lost, answered with rev 2), the commit on rev 2, transformed against revs 1 and 2
        assertThat(instances.scriptsRun() - before).isEqualTo(2);
        assertThat(result.rev()).isEqualTo(3);
        assertThat(a.snapshot(id).content()).isEqualTo("¡hello world");
    }

    @Test
    void queuedOpsWhoseCommitLostToAnotherInstanceAreCommittedTogetherAgainNotOneByOne() throws Exception {
        Behind behind = aBehindAtRevisionOne(instances.newInstance(100, 100));
        Author ann = new Author("ann", "Ann");
        List<DocumentService.Queued> queued = List.of(
                new DocumentService.Queued(
                        behind.epoch(),
                        1,
                        TextOperation.builder().insert("¡").retain(5).build(),
                        "a:1",
                        ann),
                new DocumentService.Queued(
                        behind.epoch(),
                        1,
                        TextOperation.builder().retain(5).insert("!").build(),
                        "a:2",
                        ann),
                new DocumentService.Queued(
                        behind.epoch(),
                        1,
                        TextOperation.builder().retain(5).insert("?").build(),
                        "a:3",
                        ann));
        long before = instances.scriptsRun();

        List<DocumentService.Outcome> outcomes = behind.a()
                .submitAllAsync(behind.id(), queued, Runnable::run)
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);

        // the three on the head A knew (lost, answered with the op it lost to), the three again on the head after it
        assertThat(instances.scriptsRun() - before).isEqualTo(2);
        assertThat(outcomes).extracting(outcome -> outcome.result().rev()).containsExactly(3L, 4L, 5L);
        assertThat(behind.a().snapshot(behind.id()).content()).isEqualTo("¡hello?! world");
    }

    /** Two instances' stores on one document at revision 2, where A's commit on revision 1 just lost to B's. */
    private record Claimed(DocumentId id, String epoch, RedisDocumentStore a, RedisDocumentStore b) {}

    private static Claimed aLostRaceOnRevisionOne(Duration commitClaim) {
        DocumentId id = new DocumentId("claim-" + System.nanoTime());
        RedisDocumentStore a = instances.newInstance(
                LogLimits.ofOps(100), 100, "a-" + id.value(), commitClaim, RedisDocumentStore::new);
        RedisDocumentStore b = instances.newInstance(
                LogLimits.ofOps(100), 100, "b-" + id.value(), commitClaim, RedisDocumentStore::new);
        String epoch = b.snapshot(id).epoch();
        assertThat(commitOne(
                                b,
                                id,
                                epoch,
                                0,
                                TextOperation.builder().insert("hello").build(),
                                "hello",
                                "b:1")
                        .join())
                .isInstanceOf(AppendOutcome.Appended.class);
        assertThat(a.snapshot(id).rev()).isEqualTo(1);
        assertThat(commitOne(
                                b,
                                id,
                                epoch,
                                1,
                                TextOperation.builder()
                                        .retain(5)
                                        .insert(" world")
                                        .build(),
                                "hello world",
                                "b:2")
                        .join())
                .isInstanceOf(AppendOutcome.Appended.class);

        AppendOutcome lost = commitOne(
                        a,
                        id,
                        epoch,
                        1,
                        TextOperation.builder().insert("¡").retain(5).build(),
                        "¡hello",
                        "a:1")
                .join();

        assertThat(lost).isEqualTo(new AppendOutcome.HeadMoved(2));
        return new Claimed(id, epoch, a, b);
    }

    /** A's retry of its lost commit, on the head the answer brought it. */
    private static AppendOutcome aRetriesOnRevisionTwo(Claimed race) {
        return commitOne(
                        race.a(),
                        race.id(),
                        race.epoch(),
                        2,
                        TextOperation.builder().insert("¡").retain(11).build(),
                        "¡hello world",
                        "a:1")
                .join();
    }

    private static CompletableFuture<AppendOutcome> commitOne(
            RedisDocumentStore store,
            DocumentId id,
            String epoch,
            long headRev,
            TextOperation op,
            String content,
            String clientOpId) {
        Author author = new Author(clientOpId.substring(0, 1), clientOpId.substring(0, 1));
        CommittedOp committed = new CommittedOp(headRev + 1, op, author, clientOpId, Instant.now());
        return store.appendAllAsync(id, epoch, headRev, List.of(committed), content)
                .toCompletableFuture();
    }

    @Test
    void theInstanceWhoseCommitLostARaceCommitsNextWhileTheOthersCommitIsHeldUntilTheRelayBringsIt() throws Exception {
        Claimed race = aLostRaceOnRevisionOne(Duration.ofSeconds(30));

        // B, which won the last race, goes on committing on its own head
        long before = instances.scriptsRun();
        CompletableFuture<AppendOutcome> held = commitOne(
                race.b(),
                race.id(),
                race.epoch(),
                2,
                TextOperation.builder().retain(11).insert("?").build(),
                "hello world?",
                "b:3");
        awaitScriptsRun(before + 1); // B's commit reached Redis before A's retry (they travel on two connections)
        // A's retry, on the head the lost commit's answer brought it
        AppendOutcome retried = aRetriesOnRevisionTwo(race);

        assertThat(retried).isInstanceOf(AppendOutcome.Appended.class);
        assertThat(((AppendOutcome.Appended) retried).op().rev()).isEqualTo(3);
        assertThat(held).isNotDone();
        // the relay brings A's commit to B
        race.b().committedElsewhere(race.id(), race.epoch(), ((AppendOutcome.Appended) retried).op());
        assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo(new AppendOutcome.HeadMoved(3));
        DocumentSnapshot head = instances.newInstance(100, 100).snapshot(race.id());
        assertThat(head.rev()).isEqualTo(3);
        assertThat(head.content()).isEqualTo("¡hello world");
    }

    @Test
    void aCommitHeldForAnInstanceThatNeverRetriesIsAnsweredLostWhenTheClaimLapsesAndThenCommits() throws Exception {
        Claimed race = aLostRaceOnRevisionOne(Duration.ofMillis(300));
        TextOperation question = TextOperation.builder().retain(11).insert("?").build();

        AppendOutcome held = commitOne(race.b(), race.id(), race.epoch(), 2, question, "hello world?", "b:3")
                .get(10, TimeUnit.SECONDS);
        AppendOutcome again = commitOne(race.b(), race.id(), race.epoch(), 2, question, "hello world?", "b:3")
                .join();

        // nothing was written while held: the head B had is still the head, and the same commit goes through after
        assertThat(held).isEqualTo(new AppendOutcome.HeadMoved(2));
        assertThat(again).isInstanceOf(AppendOutcome.Appended.class);
        assertThat(instances.newInstance(100, 100).snapshot(race.id()).content())
                .isEqualTo("hello world?");
    }

    @Test
    void aSubmitHeldWhileTheLoserCommitsIsRetriedOnTheHeadTheRelayBroughtWithoutARead() throws Exception {
        Claimed race = aLostRaceOnRevisionOne(Duration.ofSeconds(30));
        DocumentService b = new DocumentService(race.b(), new DocumentProperties(2_000_000, 100), Clock.systemUTC());
        ExecutorService submitter = Executors.newSingleThreadExecutor();
        try {
            long before = instances.scriptsRun();
            // B's first try is on revision 2, the head it knows: held while A holds the claim
            Future<SubmitResult> submitted = submitter.submit(() -> b.submit(
                    race.id(),
                    race.epoch(),
                    2,
                    TextOperation.builder().retain(11).insert("?").build(),
                    "b:3",
                    new Author("b", "b")));
            awaitScriptsRun(before + 1);
            AppendOutcome retried = aRetriesOnRevisionTwo(race);
            // the relay brings A's revision 3 to B
            race.b().committedElsewhere(race.id(), race.epoch(), ((AppendOutcome.Appended) retried).op());

            SubmitResult result = submitted.get(10, TimeUnit.SECONDS);

            // B's held try, A's retry, B's commit on the relayed head: no read
            assertThat(instances.scriptsRun() - before).isEqualTo(3);
            assertThat(result.rev()).isEqualTo(4);
            assertThat(b.snapshot(race.id()).content()).isEqualTo("¡hello world?");
        } finally {
            submitter.shutdownNow();
        }
    }

    /** Waits until Redis has run {@code count} scripts in all (a command sent on a connection has been executed). */
    private static void awaitScriptsRun(long count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (instances.scriptsRun() < count) {
            assertThat(System.nanoTime() - deadline).as("scripts run by Redis").isNegative();
            Thread.sleep(1);
        }
    }
}
