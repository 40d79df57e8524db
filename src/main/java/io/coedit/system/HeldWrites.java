package io.coedit.system;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

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
 *
 * <p>A connection served by an event loop writes cheapest from that loop: written from another thread, each write
 * becomes a task for the loop, and an op to a busy document meant one task per session. Holders that name such a
 * thread ({@link Holder#writeThread}) are handed to it together, one task per thread for all of its connections.
 */
@Slf4j
public final class HeldWrites {

    /** A connection holding messages, written out when the held work ends. */
    public interface Holder {
        void writeHeld();

        /**
         * Where this holder's writes are best started when the calling thread is not it (a connection's event
         * loop), or null to write on the calling thread.
         */
        default Executor writeThread() {
            return null;
        }
    }

    private static final ThreadLocal<List<Holder>> HOLDERS = new ThreadLocal<>();

    private HeldWrites() {}

    /**
     * Runs {@code work}, then has every connection that held a message meanwhile write it: on this thread, or handed
     * to the connection's {@linkplain Holder#writeThread write thread} with the others of that thread. Nested calls
     * join the outer one. A holder that throws costs only its own connection.
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
            writeAll(holders);
        }
    }

    private static void writeAll(List<Holder> holders) {
        Map<Executor, List<Holder>> byThread = null;
        for (Holder holder : holders) {
            Executor thread = writeThread(holder);
            if (thread == null) {
                write(holder);
            } else {
                if (byThread == null) {
                    byThread = new IdentityHashMap<>();
                }
                byThread.computeIfAbsent(thread, t -> new ArrayList<>()).add(holder);
            }
        }
        if (byThread != null) {
            byThread.forEach(HeldWrites::handOver);
        }
    }

    private static Executor writeThread(Holder holder) {
        try {
            return holder.writeThread();
        } catch (RuntimeException ex) {
            return null;
        }
    }

    private static void handOver(Executor thread, List<Holder> holders) {
        try {
            thread.execute(() -> holders.forEach(HeldWrites::write));
        } catch (RejectedExecutionException ex) {
            holders.forEach(HeldWrites::write); // the thread is stopping: its connections are closing anyway
        }
    }

    private static void write(Holder holder) {
        try {
            holder.writeHeld();
        } catch (RuntimeException ex) {
            // the holder's own connection fails; the others still get their messages
            log.error("Writing held messages failed", ex);
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
