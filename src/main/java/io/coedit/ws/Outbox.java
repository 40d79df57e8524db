package io.coedit.ws;

import java.util.ArrayDeque;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;

/**
 * A session's outgoing messages, written with the container's non-blocking sends, one at a time, in order.
 *
 * <p>Spring's {@code ConcurrentWebSocketSessionDecorator} bounds the queue too, but the thread that finds the
 * session idle performs a blocking write; with a reader that stopped reading, that thread (the one fanning an op
 * out to the whole document) would hang in the write. Here no sender ever waits on a socket: a send only queues
 * or starts an asynchronous write, and a session over its byte limit or stuck in one write for too long is
 * reported as a slow consumer.
 */
final class Outbox implements SendHandler {

    /** What a full or stuck outbox asks of its session. */
    interface Overflow {
        void slowConsumer();
    }

    private final RemoteEndpoint.Async remote;
    private final long limitChars;
    private final Overflow overflow;
    // room for one message at first: most sessions are idle, and the default sixteen slots cost each one 150 bytes
    private final ArrayDeque<String> queue = new ArrayDeque<>(1);
    private long queuedChars;
    private boolean inFlight;
    private long inFlightSince;
    private boolean pumping;
    private boolean completedInline;
    private boolean closed;
    /** Set while the session waits for its queued messages to be written before it closes. */
    private Runnable afterQueued;

    private boolean closeArranged;

    private volatile long lastWrittenNanos = System.nanoTime();

    Outbox(RemoteEndpoint.Async remote, long limitBytes, Overflow overflow) {
        this.remote = remote;
        // chars, not bytes: counting UTF-8 bytes would cost a pass over every message
        this.limitChars = limitBytes;
        this.overflow = overflow;
    }

    void send(String text) {
        boolean overflowed = false;
        synchronized (this) {
            if (closed || afterQueued != null) {
                return;
            }
            if (inFlight) {
                if (queuedChars + text.length() > limitChars) {
                    closed = true;
                    overflowed = true;
                    queue.clear();
                } else {
                    queue.add(text);
                    queuedChars += text.length();
                    return;
                }
            } else {
                inFlight = true;
                inFlightSince = System.nanoTime();
            }
        }
        if (overflowed) {
            overflow.slowConsumer();
            return;
        }
        pump(text);
    }

    /** True while nothing is being written, so a control frame cannot interleave with a message. */
    synchronized boolean idle() {
        return !inFlight && !closed;
    }

    /**
     * When a write last completed. Writes that keep completing mean the peer keeps taking data; one that stops
     * taking it stalls a write ({@link #stalled}).
     */
    long lastWrittenNanos() {
        return lastWrittenNanos;
    }

    /** True when one write has been pending longer than {@code limitNanos}: the reader stopped reading. */
    synchronized boolean stalled(long nowNanos, long limitNanos) {
        return inFlight && nowNanos - inFlightSince > limitNanos;
    }

    synchronized void close() {
        closed = true;
        afterQueued = null;
        queue.clear();
        queuedChars = 0;
    }

    /**
     * Takes no more messages, and runs {@code then} once those already queued are written, at once when nothing is
     * being written: the message that explains a close reaches the client before the close. {@code then} runs on the
     * thread that finished the last write and must not block. A peer that stopped reading never gets there; its
     * stalled write closes it instead ({@link #stalled}). Only the first call counts.
     */
    void closeAfterQueued(Runnable then) {
        synchronized (this) {
            if (closeArranged) {
                return;
            }
            closeArranged = true;
            if (!closed && inFlight) {
                afterQueued = then;
                return;
            }
            closed = true;
        }
        then.run();
    }

    private void pump(String first) {
        String text = first;
        Runnable then = null;
        while (text != null) {
            synchronized (this) {
                pumping = true;
                completedInline = false;
            }
            try {
                remote.sendText(text, this);
            } catch (RuntimeException ex) {
                fail();
                return;
            }
            synchronized (this) {
                pumping = false;
                if (!completedInline) {
                    return; // the container calls onResult later, on its own thread, and that continues
                }
                text = nextOrIdle();
                then = text == null ? drained() : null;
            }
        }
        if (then != null) {
            then.run();
        }
    }

    @Override
    public void onResult(SendResult result) {
        if (!result.isOK()) {
            // the container gave up on the write (its send timeout, a broken pipe): the session is unusable
            fail();
            return;
        }
        String next;
        Runnable then;
        synchronized (this) {
            if (closed) {
                inFlight = false;
                return;
            }
            if (pumping) {
                // completed within sendText: let the pumping loop continue instead of recursing
                completedInline = true;
                return;
            }
            next = nextOrIdle();
            then = next == null ? drained() : null;
        }
        if (next != null) {
            pump(next);
        } else if (then != null) {
            then.run();
        }
    }

    /** Once the last queued message is written: what was to follow, the outbox closed for it. */
    private Runnable drained() {
        Runnable then = afterQueued;
        if (then != null) {
            afterQueued = null;
            closed = true;
        }
        return then;
    }

    private void fail() {
        boolean first;
        Runnable then;
        synchronized (this) {
            first = !closed;
            closed = true;
            inFlight = false;
            queue.clear();
            queuedChars = 0;
            then = afterQueued;
            afterQueued = null;
        }
        if (then != null) {
            then.run(); // the session was closing anyway: it closes as it meant to
        } else if (first) {
            overflow.slowConsumer();
        }
    }

    /** After a write completed: the next message to write, or none (idle). */
    private String nextOrIdle() {
        lastWrittenNanos = System.nanoTime();
        String next = queue.poll();
        if (next == null) {
            inFlight = false;
            return null;
        }
        queuedChars -= next.length();
        inFlightSince = System.nanoTime();
        return next;
    }
}
