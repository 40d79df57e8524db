package io.coedit.ws;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes all sessions of this instance may hold, received but not yet handled, together: unfinished fragmented
 * messages ({@link PartialMessage}) and messages waiting behind a join or sync ({@link SessionInbox}). Each message
 * alone is bounded by the message size limit, but many senders could otherwise hold that limit each.
 */
final class PartialMessageBudget {

    private final long maxBytes;
    private final AtomicLong held = new AtomicLong();

    PartialMessageBudget(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Takes {@code bytes} from the budget, or nothing and throws when that would pass it. */
    void take(long bytes) {
        long after = held.addAndGet(bytes);
        if (after > maxBytes) {
            held.addAndGet(-bytes);
            throw new ExhaustedException();
        }
    }

    void giveBack(long bytes) {
        held.addAndGet(-bytes);
    }

    long held() {
        return held.get();
    }

    /** The budget is spent: the session asking for more is closed (1013), the others keep theirs. */
    static final class ExhaustedException extends RuntimeException {
        ExhaustedException() {
            super("partial message budget exhausted", null, false, false);
        }
    }
}
