package io.coedit.document;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.coedit.ot.TextOperation;

import static org.assertj.core.api.Assertions.assertThat;

class HeadCacheTest {

    private static HeadCache.Head head(long rev, int length) {
        return new HeadCache.Head("e", rev, 0, "x".repeat(length));
    }

    @Test
    void staysWithinItsByteBudgetDroppingTheLeastRecentlyStored() {
        HeadCache cache = new HeadCache(1000, 10_000);
        for (int i = 0; i < 20; i++) {
            cache.put(new DocumentId("d" + i), head(1, 1000));
        }
        assertThat(cache.bytes()).isLessThanOrEqualTo(10_000);
        assertThat(cache.size()).isBetween(1, 10);
        assertThat(cache.get(new DocumentId("d19"))).isNotNull();
        assertThat(cache.get(new DocumentId("d0"))).isNull();
    }

    @Test
    void aReadDoesNotWaitForAStoreInProgress() throws Exception {
        HeadCache cache = new HeadCache(1000, 100_000);
        DocumentId id = new DocumentId("busy");
        cache.put(id, head(7, 10));
        CountDownLatch storing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread store = new Thread(() -> {
            synchronized (cache) { // what a store holds while it evicts
                storing.countDown();
                awaitQuietly(release);
            }
        });
        store.start();
        try {
            storing.await();
            CompletableFuture<HeadCache.Head> read = CompletableFuture.supplyAsync(() -> cache.get(id));
            assertThat(read.get(10, TimeUnit.SECONDS).rev()).isEqualTo(7);
        } finally {
            release.countDown();
            store.join();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aDocumentLargerThanTheWholeBudgetIsNotCached() {
        HeadCache cache = new HeadCache(1000, 10_000);
        cache.put(new DocumentId("small"), head(1, 10));
        cache.put(new DocumentId("huge"), head(1, 1_000_000));
        assertThat(cache.get(new DocumentId("huge"))).isNull();
        assertThat(cache.get(new DocumentId("small"))).isNotNull();
    }

    @Test
    void replacingAHeadCountsOnlyTheNewOne() {
        HeadCache cache = new HeadCache(1000, 100_000);
        DocumentId id = new DocumentId("grows");
        cache.put(id, head(1, 100));
        cache.put(id, head(2, 200));
        assertThat(cache.bytes()).isEqualTo(HeadCache.bytesOf(head(2, 200)));
        cache.remove(id);
        assertThat(cache.bytes()).isZero();
    }

    @Test
    void keepsToItsCountToo() {
        HeadCache cache = new HeadCache(3, Long.MAX_VALUE);
        for (int i = 0; i < 5; i++) {
            cache.put(new DocumentId("d" + i), head(1, 1));
        }
        assertThat(cache.size()).isEqualTo(3);
    }

    private static final Instant START = Instant.parse("2026-12-03T00:00:00Z");

    /** An op appending one character, committed {@code millis} after {@link #START}. */
    private static CommittedOp typed(long rev, long millis) {
        TextOperation op =
                TextOperation.builder().retain((int) rev - 1).insert("a").build();
        return new CommittedOp(rev, op, new Author("u", "U"), "c:" + rev, START.plusMillis(millis));
    }

    private static HeadCache.Head typedUpTo(long lastRev, long millisBetweenOps) {
        HeadCache.Head head = new HeadCache.Head("e", 0, 0, "");
        for (long rev = 1; rev <= lastRev; rev++) {
            head = head.then(typed(rev, rev * millisBetweenOps), 0, "a".repeat((int) rev));
        }
        return head;
    }

    private static void assertWeighsWhatItKeeps(HeadCache.Head head) {
        assertThat(head.recentBytes())
                .isEqualTo(head.recent().stream()
                        .mapToLong(CommittedOp::sizeInBytes)
                        .sum());
    }

    @Test
    void aBusyHeadKeepsItsNewestOpsUpToTheCount() {
        HeadCache.Head head = typedUpTo(HeadCache.RECENT_OPS + 10, 1);

        assertThat(head.recent()).hasSize(HeadCache.RECENT_OPS);
        assertThat(head.recent().get(0).rev()).isEqualTo(11);
        assertThat(head.recent().get(HeadCache.RECENT_OPS - 1).rev()).isEqualTo(HeadCache.RECENT_OPS + 10);
        assertWeighsWhatItKeeps(head);
    }

    @Test
    void aQuietHeadLetsGoOfOpsOlderThanTheAgeWindow() {
        long millisBetweenOps = HeadCache.RECENT_OPS_AGE.toMillis() / 4;
        HeadCache.Head head = typedUpTo(20, millisBetweenOps);

        // the newest op at 20 steps, and the ones at most four steps (the whole window) before it
        assertThat(head.recent()).extracting(CommittedOp::rev).containsExactly(16L, 17L, 18L, 19L, 20L);
        assertWeighsWhatItKeeps(head);
    }

    @Test
    void anOpAfterALongPauseIsKeptAlone() {
        HeadCache.Head head = typedUpTo(3, 1);
        head = head.then(typed(4, 3 + HeadCache.RECENT_OPS_AGE.toMillis() + 1), 0, "aaaa");

        assertThat(head.recent()).extracting(CommittedOp::rev).containsExactly(4L);
        assertThat(head.rev()).isEqualTo(4);
    }

    @Test
    void aRelayedOpThatArrivesBeforeTheReplyToThisInstancesOwnCommitIsAppliedOnceTheReplyIsIn() {
        HeadCache cache = new HeadCache(1000, 100_000);
        DocumentId id = new DocumentId("raced");
        cache.put(id, typedUpTo(2, 1));

        // rev 3 is this instance's commit, its reply still on the way; rev 4 was committed elsewhere after it
        cache.advance(id, "e", typed(4, 4));
        assertThat(cache.get(id).rev()).isEqualTo(2);
        cache.appended(id, "e", 2, List.of(typed(3, 3)), 0, "aaa");

        HeadCache.Head head = cache.get(id);
        assertThat(head.rev()).isEqualTo(4);
        assertThat(head.content()).isEqualTo("aaaa");
        assertThat(head.recent()).extracting(CommittedOp::rev).containsExactly(1L, 2L, 3L, 4L);
        assertThat(cache.bytes()).isEqualTo(HeadCache.bytesOf(head));
    }

    @Test
    void relayedOpsHeldAheadOfTheHeadAreLetGoWhenAReadJumpsPastThem() {
        HeadCache cache = new HeadCache(1000, 100_000);
        DocumentId id = new DocumentId("missed");
        cache.put(id, typedUpTo(2, 1));
        cache.advance(id, "e", typed(5, 5));
        cache.advance(id, "e", typed(6, 6));

        cache.put(id, typedUpTo(5, 1));

        assertThat(cache.get(id).rev()).isEqualTo(6);
        assertThat(cache.get(id).content()).isEqualTo("aaaaaa");
        assertThat(cache.bytes()).isEqualTo(HeadCache.bytesOf(cache.get(id)));
    }

    @Test
    void aRelayedOpFarAheadOfTheHeadIsNotHeld() {
        HeadCache cache = new HeadCache(1000, 100_000);
        DocumentId id = new DocumentId("far");
        cache.put(id, typedUpTo(2, 1));

        cache.advance(id, "e", typed(3 + HeadCache.MAX_HELD_OPS, 100));
        cache.put(id, typedUpTo(2 + HeadCache.MAX_HELD_OPS, 1));

        assertThat(cache.get(id).rev()).isEqualTo(2 + HeadCache.MAX_HELD_OPS);
        assertThat(cache.bytes()).isEqualTo(HeadCache.bytesOf(cache.get(id)));
    }

    @Test
    void heldOpsAreCountedInTheBudgetAndGoWithTheirDocument() {
        HeadCache cache = new HeadCache(1000, 100_000);
        DocumentId id = new DocumentId("gone");
        cache.put(id, typedUpTo(2, 1));
        cache.advance(id, "e", typed(4, 4));
        assertThat(cache.bytes())
                .isEqualTo(HeadCache.bytesOf(cache.get(id)) + typed(4, 4).sizeInBytes());

        cache.remove(id);
        cache.put(id, typedUpTo(3, 1));

        assertThat(cache.get(id).rev()).isEqualTo(3);
        assertThat(cache.bytes()).isEqualTo(HeadCache.bytesOf(cache.get(id)));
    }

    @Test
    void opsThisInstanceCommittedOnAHeadItDidNotCacheAreTheNewHeadsRecentHistory() {
        HeadCache cache = new HeadCache(1000, 100_000);
        DocumentId id = new DocumentId("uncached");

        cache.appended(id, "e", 2, List.of(typed(3, 3), typed(4, 4)), 0, "aaaa");

        HeadCache.Head head = cache.get(id);
        assertThat(head.rev()).isEqualTo(4);
        assertThat(head.content()).isEqualTo("aaaa");
        assertThat(head.recent()).extracting(CommittedOp::rev).containsExactly(3L, 4L);
        assertWeighsWhatItKeeps(head);
    }
}
