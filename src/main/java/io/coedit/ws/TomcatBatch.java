package io.coedit.ws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;

import lombok.extern.slf4j.Slf4j;

/**
 * Tomcat's frame buffer of one session, flushed without blocking, and its writes of frames encoded beforehand.
 *
 * <p>With batching allowed, Tomcat copies each frame into the session's output buffer and writes it to the socket
 * when the buffer fills up or is flushed. The Jakarta API only flushes with a blocking write, which would hang the
 * thread on a peer that stopped reading; Tomcat flushes without blocking internally, through the method that starts
 * every frame, with its internal flush opcode. That method is not public, so it is looked up once; on a Tomcat
 * without it, sessions do not batch and every frame is its own write.
 *
 * <p>The same method writes a text frame whose payload is already UTF-8 ({@link TextFrame}); the Jakarta API only
 * takes a {@code String}, which Tomcat encodes again for each session it goes to. Tomcat's check that a partial
 * message is not interleaved with another is skipped with it: an {@link Outbox} writes whole frames, one at a time.
 */
@Slf4j
final class TomcatBatch implements Outbox.Batch, Outbox.Writer {

    /** Tomcat's {@code Constants.INTERNAL_OPCODE_FLUSH}. */
    private static final byte INTERNAL_OPCODE_FLUSH = 0x18;

    /** The text frame's opcode (RFC 6455, 5.2). */
    private static final byte OPCODE_TEXT = 0x1;

    private static final String TOMCAT_WEBSOCKET = "org.apache.tomcat.websocket.";

    private static final MethodHandle ENDPOINT = lookUp("WebSocket endpoint", () -> {
        Class<?> remoteBase = Class.forName(TOMCAT_WEBSOCKET + "WsRemoteEndpointBase");
        return privateLookupIn(remoteBase)
                .findGetter(remoteBase, "base", Class.forName(TOMCAT_WEBSOCKET + "WsRemoteEndpointImplBase"));
    });
    private static final MethodHandle START_MESSAGE = lookUp("non-blocking flush", () -> {
        Class<?> implBase = Class.forName(TOMCAT_WEBSOCKET + "WsRemoteEndpointImplBase");
        return privateLookupIn(implBase)
                .findVirtual(
                        implBase,
                        "startMessage",
                        MethodType.methodType(
                                void.class, byte.class, ByteBuffer.class, boolean.class, SendHandler.class));
    });
    private static final MethodHandle WRITING =
            lookUp("frame-in-progress semaphore", () -> endpointField("messagePartInProgress", Semaphore.class));
    private static final MethodHandle BATCHING_ALLOWED =
            lookUp("batching flag", () -> endpointField("batchingAllowed", AtomicBoolean.class));
    private static final MethodHandle OUTPUT_BUFFER =
            lookUp("frame buffer", () -> endpointField("outputBuffer", ByteBuffer.class));
    private static final MethodHandle SESSION_STATE = lookUp("WebSocket session state", () -> {
        Class<?> session = Class.forName(TOMCAT_WEBSOCKET + "WsSession");
        return privateLookupIn(session).findGetter(session, "state", AtomicReference.class);
    });

    private final RemoteEndpoint.Async remote;
    private final Object endpoint;
    private final Semaphore writing;
    private final AtomicBoolean batchingAllowed;
    private final int capacity;
    private final AtomicReference<?> sessionState;

    private TomcatBatch(
            RemoteEndpoint.Async remote,
            Object endpoint,
            Semaphore writing,
            AtomicBoolean batchingAllowed,
            int capacity,
            AtomicReference<?> sessionState) {
        this.remote = remote;
        this.endpoint = endpoint;
        this.writing = writing;
        this.batchingAllowed = batchingAllowed;
        this.capacity = capacity;
        this.sessionState = sessionState;
    }

    /** True when this Tomcat can be flushed without blocking. */
    static boolean available() {
        return ENDPOINT != null
                && START_MESSAGE != null
                && WRITING != null
                && BATCHING_ALLOWED != null
                && OUTPUT_BUFFER != null
                && SESSION_STATE != null;
    }

    /**
     * The batch of {@code session}'s {@code remote}, or null when it cannot be flushed without blocking (not
     * Tomcat's).
     */
    static TomcatBatch of(Session session, RemoteEndpoint.Async remote) {
        if (!available()
                || !ENDPOINT.type().parameterType(0).isInstance(remote)
                || !SESSION_STATE.type().parameterType(0).isInstance(session)) {
            return null;
        }
        try {
            Object endpoint = ENDPOINT.invoke(remote);
            return new TomcatBatch(
                    remote,
                    endpoint,
                    (Semaphore) WRITING.invoke(endpoint),
                    (AtomicBoolean) BATCHING_ALLOWED.invoke(endpoint),
                    ((ByteBuffer) OUTPUT_BUFFER.invoke(endpoint)).capacity(),
                    (AtomicReference<?>) SESSION_STATE.invoke(session));
        } catch (RuntimeException | Error ex) {
            throw ex;
        } catch (Throwable ex) { // NOPMD: MethodHandle.invoke declares Throwable
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Allows batching, unless the session has begun to close; false when it did not. Tomcat closes by leaving the
     * OPEN state, then turning batching off (which flushes the buffer) and writing the close frame, then closing the
     * connection. A close frame written while batching is on stays in the buffer, and the client sees the connection
     * drop (1006) instead. So batching is turned on only while this holds Tomcat's frame-in-progress semaphore, which
     * every frame, the close frame too, takes to be written: the state is checked after batching is on, and where it
     * is no longer OPEN batching goes off again before any frame could have been buffered. Where the state changes
     * after the check, Tomcat's own turning batching off finds it on and flushes, before its close frame. When a
     * frame is being written (a pong, the close frame itself), no batch starts.
     */
    @Override
    public boolean start() {
        if (!writing.tryAcquire()) {
            return false;
        }
        try {
            batchingAllowed.set(true);
            if ("OPEN".equals(((Enum<?>) sessionState.get()).name())) {
                return true;
            }
            // nothing was buffered meanwhile (no frame could be written), so there is nothing to flush
            batchingAllowed.set(false);
            return false;
        } finally {
            writing.release();
        }
    }

    @Override
    public int capacity() {
        return capacity;
    }

    /** Tomcat's own flush, blocking: the buffer holds at most a pong written since the last flush completed. */
    @Override
    public void stop() {
        try {
            remote.setBatchingAllowed(false);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void flush(SendHandler done) {
        startMessage(INTERNAL_OPCODE_FLUSH, null, done);
    }

    @Override
    public void write(TextFrame frame, SendHandler done) {
        startMessage(OPCODE_TEXT, frame.payload(), done);
    }

    /** Starts one whole frame, or a flush, without blocking. */
    private void startMessage(byte opCode, ByteBuffer payload, SendHandler done) {
        try {
            START_MESSAGE.invoke(endpoint, opCode, payload, true, done);
        } catch (RuntimeException | Error ex) {
            throw ex;
        } catch (Throwable ex) { // NOPMD: MethodHandle.invoke declares Throwable
            throw new IllegalStateException(ex);
        }
    }

    /** Finds one of Tomcat's members. */
    private interface Finder {
        MethodHandle find() throws ReflectiveOperationException;
    }

    /** The member {@code finder} finds, or null (logged) on a Tomcat without it: then no session batches. */
    private static MethodHandle lookUp(String what, Finder finder) {
        try {
            return finder.find();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError ex) {
            log.warn("Tomcat's {} is not reachable ({}): every frame is written on its own", what, ex.toString());
            return null;
        }
    }

    /** A getter of one of the fields of Tomcat's endpoint that every frame goes through. */
    private static MethodHandle endpointField(String name, Class<?> type) throws ReflectiveOperationException {
        Class<?> implBase = Class.forName(TOMCAT_WEBSOCKET + "WsRemoteEndpointImplBase");
        return privateLookupIn(implBase).findGetter(implBase, name, type);
    }

    private static MethodHandles.Lookup privateLookupIn(Class<?> type) throws IllegalAccessException {
        return MethodHandles.privateLookupIn(type, MethodHandles.lookup());
    }
}
