package io.coedit.events;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LocalIdempotencyKeysTest {

    private final AtomicLong nanos = new AtomicLong();
    private final IdempotencyKeys.Claim first = new IdempotencyKeys.Claim("id-1", "f1");
    private final IdempotencyKeys.Claim second = new IdempotencyKeys.Claim("id-2", "f2");

    @Test
    void aKeyAnswersItsFirstClaimUntilTheWindowEnds() {
        LocalIdempotencyKeys keys = new LocalIdempotencyKeys(100, 1 << 20, nanos::get);
        assertThat(keys.claim("k", first, Duration.ofSeconds(10))).isEmpty();
        nanos.addAndGet(Duration.ofSeconds(9).toNanos());
        assertThat(keys.claim("k", second, Duration.ofSeconds(10))).contains(first);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(keys.claim("k", second, Duration.ofSeconds(10))).isEmpty();
        assertThat(keys.claim("k", first, Duration.ofSeconds(10))).contains(second);
    }

    @Test
    void aReleasedClaimLetsTheRetryDeliverButAnotherClaimIsNotReleased() {
        LocalIdempotencyKeys keys = new LocalIdempotencyKeys(100, 1 << 20, nanos::get);
        keys.claim("k", first, Duration.ofSeconds(10));
        keys.release("k", second);
        assertThat(keys.claim("k", second, Duration.ofSeconds(10))).contains(first);
        keys.release("k", first);
        assertThat(keys.claim("k", second, Duration.ofSeconds(10))).isEmpty();
    }

    @Test
    void theOldestKeysGoFirstBeyondTheCountOrByteBound() {
        LocalIdempotencyKeys byCount = new LocalIdempotencyKeys(3, 1 << 20, nanos::get);
        for (int i = 0; i < 5; i++) {
            byCount.claim("k" + i, first, Duration.ofHours(1));
        }
        assertThat(byCount.size()).isEqualTo(3);
        assertThat(byCount.claim("k4", second, Duration.ofHours(1))).contains(first);
        assertThat(byCount.claim("k0", second, Duration.ofHours(1)))
                .as("evicted")
                .isEmpty();

        LocalIdempotencyKeys byBytes = new LocalIdempotencyKeys(1000, 2000, nanos::get);
        for (int i = 0; i < 100; i++) {
            byBytes.claim("key-" + "x".repeat(200) + i, first, Duration.ofHours(1));
        }
        assertThat(byBytes.size()).isBetween(1, 5);
    }
}
