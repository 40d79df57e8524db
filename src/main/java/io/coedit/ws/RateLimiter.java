package io.coedit.ws;

/** A token bucket for one connection's incoming messages; only that connection's reader thread touches it. */
final class RateLimiter {

    private final double tokensPerNano;
    private final int burst;
    private final int closeAfter;
    private double tokens;
    private long lastRefill;
    private int rejectedInARow;

    RateLimiter(WebSocketProperties.RateLimit limit, long nowNanos) {
        this.tokensPerNano = limit.messagesPerSecond() / 1e9;
        this.burst = limit.burst();
        this.closeAfter = limit.closeAfter();
        this.tokens = burst;
        this.lastRefill = nowNanos;
    }

    enum Verdict {
        ALLOW,
        REJECT,
        CLOSE
    }

    Verdict take(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - lastRefill) * tokensPerNano);
        lastRefill = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            rejectedInARow = 0;
            return Verdict.ALLOW;
        }
        rejectedInARow++;
        return rejectedInARow >= closeAfter ? Verdict.CLOSE : Verdict.REJECT;
    }
}
