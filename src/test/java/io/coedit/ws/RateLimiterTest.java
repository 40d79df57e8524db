package io.coedit.ws;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void allowsTheBurstThenRejectsThenCloses() {
        RateLimiter limiter = new RateLimiter(new WebSocketProperties.RateLimit(10, 5, 3), 0);
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.take(0)).isEqualTo(RateLimiter.Verdict.ALLOW);
        }
        assertThat(limiter.take(0)).isEqualTo(RateLimiter.Verdict.REJECT);
        assertThat(limiter.take(0)).isEqualTo(RateLimiter.Verdict.REJECT);
        assertThat(limiter.take(0)).isEqualTo(RateLimiter.Verdict.CLOSE);
    }

    @Test
    void refillsAtTheConfiguredRate() {
        RateLimiter limiter = new RateLimiter(new WebSocketProperties.RateLimit(10, 1, 100), 0);
        assertThat(limiter.take(0)).isEqualTo(RateLimiter.Verdict.ALLOW);
        assertThat(limiter.take(SECOND / 20)).isEqualTo(RateLimiter.Verdict.REJECT);
        assertThat(limiter.take(SECOND / 10 + SECOND / 20)).isEqualTo(RateLimiter.Verdict.ALLOW);
    }
}
