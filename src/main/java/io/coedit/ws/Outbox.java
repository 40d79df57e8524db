package io.coedit.ws;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;

import io.coedit.system.HeldWrites;

/**
 * A session's outgoing messages, written with the container's non-blocking sends, one at a time, in order.
 *
 * <p>Spring's {@code ConcurrentWebSocketSessionDecorator} bounds the queue too, but the thread that finds the
 * session idle performs a blocking write; with a reader that stopped reading, that thread (the one fanning an op
 * out to the whole document) would hang in the write. Here no sender ever waits on a socket: a send only queues
 * or starts an asynchronous write, and a session over its byte limit or stuck in one write for too long is
 * reported as a slow consumer.
 *
 * <p>Messages that queue up while a write is in flight (a burst of joins, a busy document) leave together: while
 * more than one waits, the outbox has the container batch them into its buffer and flushes that once, one write for
 * the lot instead of one each. When it has nothing more to write it stops batching, so that control frames the
 * container sends on its own (the pong to a client's ping) go out at once. Presence frames for an idle session wait a
 * moment for company ({@link #sendSoon}, {@link PresenceWait}).
 */
final class Outbox implements SendHandler, HeldWrites.Holder {

    /** What a full or stuck outbox asks of its session. */
    interface Overflow {
        void slowConsumer();
    }

    /** The container's frame buffer, which the outbox fills with several messages and writes at once. */
    interface Batch {
        /**
         * From now on, frames go into the buffer, and out when it is full or flushed; false when batching could not
         * start (the session is closing, or a control frame is being written), and frames go out one by one.
         */
        boolean start();

        /** Bytes the buffer holds. */
        int capacity();

        /** Starts writing what the buffer holds, without blocking; {@code done} is told as after a send. */
        void flush(SendHandler done);

        /**
         * Frames go out one by one again. Called only once a flush has completed: the buffer then holds at most a
         * control frame the container wrote since (a pong), which this writes.
         */
        void stop();
    }

    /**
     * Where an idle outbox given a frame that may wait ({@link #sendSoon}) waits for more: after a while, on another
     * thread, {@link #endWait} writes what came meanwhile.
     */
    interface Wait {
        void schedule(Outbox outbox);
    }

    /** Starts the non-blocking write of one whole text frame; {@code done} is told when it completed or failed. */
    interface Writer {
        void write(TextFrame frame, SendHandler done);

        /** Where writes are best started when the calling thread is not it (see {@link HeldWrites}), or null. */
        default Executor thread() {
            return null;
        }

        /** Through the Jakarta API, which encodes the text again for every write. */
        static Writer of(RemoteEndpoint.Async remote) {
            return (frame, done) -> remote.sendText(frame.text(), done);
        }
    }

    /** What the outbox does after a write completed. */
    private enum Next {
        SEND,
        START_BATCH_AND_SEND,
        FLUSH,
        STOP_BATCH,
        IDLE
    }

    /** The largest control frame a server writes: a two-byte header and at most 125 bytes of payload. */
    static final int CONTROL_FRAME_BYTES = 127;

    private final Writer writer;
    private final long limitBytes;
    private final Overflow overflow;
    private final Batch batch;
    private final Wait wait;
    // room for one message at first: most sessions are idle, and the default sixteen slots cost each one 150 bytes
    private final ArrayDeque<TextFrame> queue = new ArrayDeque<>(1);
    private long queuedBytes;
    private boolean inFlight;
    private long inFlightSince;
    private boolean pumping;
    /** Frames are queued and nothing is written until {@link #endWait} or a frame that may not wait. */
    private boolean waiting;

    private boolean completedInline;
    private boolean failedInline;
    private boolean batching;
    /** Bytes of the frames written into the batch since it was last flushed. */
    private int batchedBytes;
    /** What a batch may hold: the buffer, less room for a control frame the container may add (a pong). */
    private final int batchLimit;

    private boolean closed;
    /** Set while the session waits for its queued messages to be written before it closes. */
    private Runnable afterQueued;

    private boolean closeArranged;

    private volatile long lastWrittenNanos = System.nanoTime();

    Outbox(RemoteEndpoint.Async remote, long limitBytes, Overflow overflow) {
        this(Writer.of(remote), limitBytes, overflow, null, null);
    }

    Outbox(RemoteEndpoint.Async remote, long limitBytes, Overflow overflow, Batch batch) {
        this(Writer.of(remote), limitBytes, overflow, batch, null);
    }

    /**
     * With {@code batch} (null: none), messages that queue up behind a write are written together; with {@code wait}
     * (null: none), frames sent with {@link #sendSoon} wait there for more. {@code limitBytes} bounds the payload
     * bytes queued behind the write in flight.
     */
    Outbox(Writer writer, long limitBytes, Overflow overflow, Batch batch, Wait wait) {
        this.writer = writer;
        this.batch = batch;
        this.wait = wait;
        this.limitBytes = limitBytes;
        this.overflow = overflow;
        this.batchLimit = batch == null ? 0 : batch.capacity() - CONTROL_FRAME_BYTES;
    }

    void send(String text) {
        send(TextFrame.of(text));
    }

    /** What a sender does once it let go of the lock. */
    private enum Then {
        NOTHING,
        WRITE,
        END_WAIT,
        WAIT,
        OVERFLOWED
    }

    /** Writes {@code frame} now, with any queued before it, or queues it behind the write in flight. */
    void send(TextFrame frame) {
        Then then;
        synchronized (this) {
            if (closed || afterQueued != null) {
                return;
            }
            if (!inFlight) {
                inFlight = true;
                inFlightSince = System.nanoTime();
                if (HeldWrites.hold(this)) {
                    add(frame);
                    return;
                }
                then = Then.WRITE;
            } else if (!enqueue(frame)) {
                then = Then.OVERFLOWED;
            } else if (waiting) {
                waiting = false; // the frames that waited leave now, before this one
                then = HeldWrites.hold(this) ? Then.NOTHING : Then.END_WAIT;
            } else {
                then = Then.NOTHING;
            }
        }
        carryOut(then, frame);
    }

    /**
     * Sends a frame that may wait a moment (presence): when nothing is being written, it waits for more before it is
     * written, up to what the {@link Wait} allows, and what comes meanwhile leaves in the same write. A frame
     * {@linkplain #send sent} meanwhile ends the wait: the frames leave in the order they came. Without a
     * {@code Wait}, the same as {@link #send}.
     */
    void sendSoon(TextFrame frame) {
        if (wait == null) {
            send(frame);
            return;
        }
        Then then;
        synchronized (this) {
            if (closed || afterQueued != null) {
                return;
            }
            if (inFlight) {
                then = enqueue(frame) ? Then.NOTHING : Then.OVERFLOWED;
            } else {
                inFlight = true;
                inFlightSince = System.nanoTime();
                waiting = true;
                add(frame);
                then = Then.WAIT;
            }
        }
        carryOut(then, frame);
    }

    private void carryOut(Then then, TextFrame frame) {
        switch (then) {
            case WRITE -> pump(Next.SEND, frame);
            case END_WAIT -> proceed();
            case WAIT -> wait.schedule(this);
            case OVERFLOWED -> overflow.slowConsumer();
            case NOTHING -> {}
        }
    }

    /** Writes the frames that waited, unless a frame that could not wait took them along already. */
    void endWait() {
        synchronized (this) {
            if (!waiting) {
                return;
            }
            waiting = false;
        }
        proceed();
    }

    /**
     * Queues {@code frame} behind what is in flight; false, with the outbox closed and its queue dropped, when that
     * would pass the byte limit.
     */
    private boolean enqueue(TextFrame frame) {
        if (queuedBytes + frame.payloadBytes() > limitBytes) {
            closed = true;
            queue.clear();
            queuedBytes = 0;
            return false;
        }
        add(frame);
        return true;
    }

    private void add(TextFrame frame) {
        queue.add(frame);
        queuedBytes += frame.payloadBytes();
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
        queuedBytes = 0;
    }

    /**
     * Takes no more messages, and runs {@code then} once those already queued are written, at once when nothing is
     * being written: the message that explains a close reaches the client before the close. {@code then} runs on the
     * thread that finished the last write and must not block. A peer that stopped reading never gets there; its
     * stalled write closes it instead ({@link #stalled}). Only the first call counts.
     */
    void closeAfterQueued(Runnable then) {
        boolean nowIdle;
        synchronized (this) {
            if (closeArranged) {
                return;
            }
            closeArranged = true;
            nowIdle = closed || !inFlight;
            if (nowIdle) {
                closed = true;
            } else {
                afterQueued = then;
                if (!waiting) {
                    return;
                }
                waiting = false; // what explains the close goes now, with the frames that waited
            }
        }
        if (nowIdle) {
            then.run();
        } else {
            proceed();
        }
    }

    /** Does {@code first}, then whatever the writes that complete at once lead to. */
    private void pump(Next first, TextFrame firstFrame) {
        Next next = first;
        TextFrame frame = firstFrame;
        Runnable then = null;
        boolean failed = false;
        while (next != Next.IDLE) {
            synchronized (this) {
                pumping = true;
                completedInline = false;
            }
            boolean done = next == Next.STOP_BATCH; // stopping writes synchronously
            boolean window = InlineCompletions.open();
            try {
                switch (next) {
                    case START_BATCH_AND_SEND -> {
                        if (!batch.start()) {
                            notBatching();
                        }
                        writer.write(frame, this);
                    }
                    case SEND -> writer.write(frame, this);
                    case FLUSH -> batch.flush(this);
                    case STOP_BATCH -> batch.stop();
                    default -> throw new IllegalStateException(next.name());
                }
            } catch (RuntimeException ex) {
                fail();
                return;
            } finally {
                InlineCompletions.close(window);
            }
            synchronized (this) {
                pumping = false;
                if (failedInline) {
                    failed = true;
                    break;
                }
                if (!completedInline && !done) {
                    return; // the container calls onResult later, on its own thread, and that continues
                }
                frame = queue.peek();
                next = decideNext();
                then = next == Next.IDLE ? drained() : null;
            }
        }
        if (failed) {
            fail();
        } else if (then != null) {
            then.run();
        }
    }

    @Override
    public void onResult(SendResult result) {
        if (!result.isOK()) {
            // the container gave up on the write (its send timeout, a broken pipe): the session is unusable
            synchronized (this) {
                if (pumping) {
                    // failed within sendText: closing the session under the container's call is left to the pump
                    failedInline = true;
                    return;
                }
            }
            fail();
            return;
        }
        synchronized (this) {
            if (pumping && !closed) {
                // completed within sendText: let the pumping loop continue instead of recursing
                completedInline = true;
                return;
            }
        }
        proceed();
    }

    /** The held work this outbox's first message waited for is done: writes what it holds. */
    @Override
    public void writeHeld() {
        proceed();
    }

    @Override
    public Executor writeThread() {
        return writer.thread();
    }

    /** After a write completed, or once held messages may go: writes what comes next. */
    private void proceed() {
        Next next;
        TextFrame frame;
        Runnable then;
        synchronized (this) {
            if (closed) {
                inFlight = false;
                return;
            }
            frame = queue.peek();
            next = decideNext();
            then = next == Next.IDLE ? drained() : null;
        }
        if (next != Next.IDLE) {
            pump(next, frame);
        } else if (then != null) {
            then.run();
        }
    }

    /** Batching did not start: the messages go out one by one (it is tried again when more queue up). */
    private synchronized void notBatching() {
        batching = false;
        batchedBytes = 0;
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
            queuedBytes = 0;
            then = afterQueued;
            afterQueued = null;
        }
        if (then != null) {
            then.run(); // the session was closing anyway: it closes as it meant to
        } else if (first) {
            overflow.slowConsumer();
        }
    }

    /**
     * After a write completed, under the lock: what comes next. A message to send is taken off the queue (the caller
     * peeked it); the outbox goes idle only when nothing is queued and nothing is batched.
     *
     * <p>A batch never holds more than the container's buffer: a frame that would not fit is written after the batch
     * is flushed, and a message bigger than the buffer on its own, with batching stopped. The container would
     * otherwise write a full buffer in the middle of a frame and go on copying the rest when that write completes;
     * a client closing just then (the container flushes the batch on its own as it answers the close) received that
     * frame cut short, followed by the next one, and failed the connection (1006 instead of 1000).
     */
    private Next decideNext() {
        lastWrittenNanos = System.nanoTime();
        inFlightSince = lastWrittenNanos;
        TextFrame frame = queue.peek();
        if (frame != null) {
            if (batching) {
                int bytes = frame.wireBytes();
                if (batchedBytes + bytes <= batchLimit) {
                    take(frame);
                    batchedBytes += bytes;
                    return Next.SEND;
                }
                if (batchedBytes > 0) {
                    batchedBytes = 0;
                    return Next.FLUSH;
                }
                batching = false;
                return Next.STOP_BATCH;
            }
            take(frame);
            // a message alone goes out on its own: only a batch is worth starting for several
            int bytes = batch == null || queue.isEmpty() ? Integer.MAX_VALUE : frame.wireBytes();
            if (bytes <= batchLimit) {
                batching = true;
                batchedBytes = bytes;
                return Next.START_BATCH_AND_SEND;
            }
            return Next.SEND;
        }
        if (batchedBytes > 0) {
            batchedBytes = 0;
            return Next.FLUSH;
        }
        if (batching) {
            batching = false;
            return Next.STOP_BATCH;
        }
        inFlight = false;
        return Next.IDLE;
    }

    private void take(TextFrame frame) {
        queue.poll();
        queuedBytes -= frame.payloadBytes();
    }
}
