package io.coedit.document;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HeadCacheTest {

    private static HeadCache.Head head(long rev, int length) {
        return new HeadCache.Head("e", rev, 0, "x".repeat(length));
    }

    @Test
    void staysWithinItsByteBudgetDroppingTheLeastRecentlyUsed() {
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
}
