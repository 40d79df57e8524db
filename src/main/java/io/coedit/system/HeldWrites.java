package io.coedit.system;

import java.util.ArrayList;
import java.util.List;

import lombok.extern.slf4j.Slf4j;

/**
 * Holds back the writes a thread starts while it answers several things at once, and lets them go together at the
 * end: one write per connection for the lot instead of one per message.
 *
 * <p>A document's commit answers every submit of its turn (up to 32 when edits queue up). Each answer goes to every
 * session of the document, so a busy turn wrote the same socket once per op: with fifty writers on one document, a
 * profile showed half of the instance's CPU in those writes. Within {@link #around}, a connection that would start a
 * write {@linkplain #hold holds} its message instead, and is told to write what it holds when the work is done. Its
 * messages still leave in order, and none waits longer than the work itself, which only queues them.
 */
@Slf4j
public final class HeldWrites {

    /** A connection holding messages, written out when the held work ends. */
    public interface Holder {
        void writeHeld();
    }

    private static final ThreadLocal<List<Holder>> HOLDERS = new ThreadLocal<>();

    private HeldWrites() {}

    /**
     * Runs {@code work}, then has every connection that held a message meanwhile write it. Nested calls join the
     * outer one. A holder that throws costs only its own connection.
     */
    public static void around(Runnable work) {
        if (HOLDERS.get() != null) {
            work.run();
            return;
        }
        List<Holder> holders = new ArrayList<>();
        HOLDERS.set(holders);
        try {
            work.run();
        } finally {
            HOLDERS.remove();
            for (Holder holder : holders) {
                try {
                    holder.writeHeld();
                } catch (RuntimeException ex) {
                    // the holder's own connection fails; the others still get their messages
                    log.error("Writing held messages failed", ex);
                }
            }
        }
    }

    /**
     * True when this thread runs held work: {@code holder} is then told to write once the work ends (the caller
     * holds its message meanwhile). False otherwise: the caller writes at once.
     */
    public static boolean hold(Holder holder) {
        List<Holder> holders = HOLDERS.get();
        if (holders == null) {
            return false;
        }
        holders.add(holder);
        return true;
    }
}
