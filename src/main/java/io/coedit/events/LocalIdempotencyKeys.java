package io.coedit.events;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Idempotency keys of one instance, in memory. Every key has the same window, so insertion order is expiry order:
 * the oldest go first, when they expire or when the count or byte bound is reached (a retry after that is
 * delivered again; the bounds are documented).
 */
public class LocalIdempotencyKeys implements IdempotencyKeys {

    /** Per entry beyond its strings: the map entry, the claim, the expiry (an estimate). */
    private static final long ENTRY_OVERHEAD_BYTES = 160;

    private record Held(Claim claim, long expiresAtNanos, long bytes) {}

    private final Map<String, Held> keys = new LinkedHashMap<>();
    private final int maxKeys;
    private final long maxBytes;
    private final LongSupplier nanoClock;
    private long bytes;

    public LocalIdempotencyKeys(int maxKeys, long maxBytes, LongSupplier nanoClock) {
        this.maxKeys = maxKeys;
        this.maxBytes = maxBytes;
        this.nanoClock = nanoClock;
    }

    @Override
    public synchronized Optional<Claim> claim(String key, Claim claim, Duration window) {
        long now = nanoClock.getAsLong();
        evictExpired(now);
        Held held = keys.get(key);
        if (held != null) {
            return Optional.of(held.claim());
        }
        long size = ENTRY_OVERHEAD_BYTES + 2L * (key.length() + claim.encoded().length());
        keys.put(key, new Held(claim, now + window.toNanos(), size));
        bytes += size;
        Iterator<Held> oldest = keys.values().iterator();
        while ((keys.size() > maxKeys || bytes > maxBytes) && oldest.hasNext()) {
            bytes -= oldest.next().bytes();
            oldest.remove();
        }
        return Optional.empty();
    }

    @Override
    public synchronized void release(String key, Claim claim) {
        Held held = keys.get(key);
        if (held != null && held.claim().equals(claim)) {
            keys.remove(key);
            bytes -= held.bytes();
        }
    }

    synchronized int size() {
        return keys.size();
    }

    private void evictExpired(long now) {
        Iterator<Held> oldest = keys.values().iterator();
        while (oldest.hasNext()) {
            Held held = oldest.next();
            if (held.expiresAtNanos() - now > 0) {
                return;
            }
            bytes -= held.bytes();
            oldest.remove();
        }
    }
}
