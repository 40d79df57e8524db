package io.coedit.ws;

import org.springframework.web.socket.CloseStatus;

/**
 * Where a session's frames go: {@link SocketFrameSink} writes them to the WebSocket, tests record them. Sends never
 * block; a peer that cannot keep up is reported through {@link Outbox.Overflow}.
 */
interface FrameSink {

    /** How long a client may take to answer the server's close frame before its connection is closed. */
    long CLOSE_REPLY_WAIT_MILLIS = 1_000;

    /** Opens the sink of one session; {@code overflow} is told when the peer stops keeping up. */
    interface Factory {
        FrameSink open(Outbox.Overflow overflow);
    }

    /** The connection's id. */
    String id();

    /** Queues a text frame, or starts writing it. */
    void send(TextFrame frame);

    /**
     * Queues a frame that may wait a moment for others to leave in the same write (presence, {@link PresenceWait}).
     * A frame {@linkplain #send sent} meanwhile takes it along; frames leave in the order they were given.
     */
    void sendSoon(TextFrame frame);

    /** True while nothing is being written, so a control frame cannot interleave with a message. */
    boolean idle();

    /** When a write last completed: writes that keep completing mean the peer keeps taking data. */
    long lastWrittenNanos();

    /** True when one write has been in flight longer than {@code limitNanos}. */
    boolean stalled(long nowNanos, long limitNanos);

    /** Sends a ping (only while {@link #idle}). */
    void ping();

    /**
     * Takes no more frames, and runs {@code then} once those already queued are written (at once when none is): what
     * explains a close reaches the client before it. {@code then} runs on the thread that finished the last write and
     * must not block. A peer that stopped reading never gets there; its stalled write closes it instead.
     */
    void stopAfterQueued(Runnable then);

    /** Drops what is queued: from now on nothing is sent but the close frame. */
    void stopSending();

    /** Sends the close frame and closes; may wait on a peer that stopped reading. */
    void close(CloseStatus status);

    boolean isOpen();
}
