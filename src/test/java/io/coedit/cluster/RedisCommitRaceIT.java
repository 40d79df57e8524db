package io.coedit.cluster;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.coedit.document.Author;
import io.coedit.document.CommittedOp;
import io.coedit.document.DocumentId;
import io.coedit.document.DocumentProperties;
import io.coedit.document.DocumentService;
import io.coedit.document.DocumentSnapshot;
import io.coedit.document.SubmitResult;
import io.coedit.ot.TextOperation;
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
        for (int i = 0; i < WRITERS; i++) {
            // compaction every 100 ops keeps running during the race
            services.add(new DocumentService(instances.newInstance(RETAINED, 100), properties, Clock.systemUTC()));
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
}
