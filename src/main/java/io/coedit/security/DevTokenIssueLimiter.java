package io.coedit.security;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many development tokens each client address got in the current minute. Bounded: at most
 * {@link #MAX_ADDRESSES} addresses are tracked, the map is cleared each minute, and an address past the limit is
 * refused for the rest of that minute.
 */
final class DevTokenIssueLimiter {

    static final int MAX_ADDRESSES = 10_000;
    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final int perMinute;
    private final Map<String, Integer> issued = new ConcurrentHashMap<>();
    private volatile long windowStart = System.nanoTime();

    DevTokenIssueLimiter(int perMinute) {
        this.perMinute = perMinute;
    }

    /** Counts one issue for {@code address}; false when it already had its share this minute. */
    boolean tryIssue(String address, long nowNanos) {
        if (nowNanos - windowStart >= MINUTE_NANOS) {
            synchronized (this) {
                if (nowNanos - windowStart >= MINUTE_NANOS) {
                    issued.clear();
                    windowStart = nowNanos;
                }
            }
        }
        if (issued.size() >= MAX_ADDRESSES && !issued.containsKey(address)) {
            // a flood from many addresses: drop the oldest-looking entry rather than grow without bound
            Iterator<String> any = issued.keySet().iterator();
            if (any.hasNext()) {
                any.next();
                any.remove();
            }
        }
        int count = issued.merge(address, 1, Integer::sum);
        return count <= perMinute;
    }
}
