package io.coedit.ws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;

import lombok.extern.slf4j.Slf4j;

/**
 * Tomcat's frame buffer of one session, flushed without blocking.
 *
 * <p>With batching allowed, Tomcat copies each frame into the session's output buffer and writes it to the socket
 * when the buffer fills up or is flushed. The Jakarta API only flushes with a blocking write, which would hang the
 * thread on a peer that stopped reading; Tomcat flushes without blocking internally, through the method that starts
 * every frame, with its internal flush opcode. That method is not public, so it is looked up once; on a Tomcat
 * without it, sessions do not batch and every frame is its own write.
 */
@Slf4j
final class TomcatBatch implements Outbox.Batch {

    /** Tomcat's {@code Constants.INTERNAL_OPCODE_FLUSH}. */
    private static final byte INTERNAL_OPCODE_FLUSH = 0x18;

    private static final MethodHandle ENDPOINT = endpointGetter();
    private static final MethodHandle START_MESSAGE = startMessage();

    private final RemoteEndpoint.Async remote;
    private final Object endpoint;

    private TomcatBatch(RemoteEndpoint.Async remote, Object endpoint) {
        this.remote = remote;
        this.endpoint = endpoint;
    }

    /** True when this Tomcat can be flushed without blocking. */
    static boolean available() {
        return ENDPOINT != null && START_MESSAGE != null;
    }

    /** The batch of {@code remote}, or null when it cannot be flushed without blocking (not Tomcat's remote). */
    static TomcatBatch of(RemoteEndpoint.Async remote) {
        if (!available() || !ENDPOINT.type().parameterType(0).isInstance(remote)) {
            return null;
        }
        try {
            return new TomcatBatch(remote, ENDPOINT.invoke(remote));
        } catch (RuntimeException | Error ex) {
            throw ex;
        } catch (Throwable ex) { // NOPMD: MethodHandle.invoke declares Throwable
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void start() {
        try {
            remote.setBatchingAllowed(true); // from off to on, Tomcat writes nothing
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
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
        try {
            START_MESSAGE.invoke(endpoint, INTERNAL_OPCODE_FLUSH, (ByteBuffer) null, true, done);
        } catch (RuntimeException | Error ex) {
            throw ex;
        } catch (Throwable ex) { // NOPMD: MethodHandle.invoke declares Throwable
            throw new IllegalStateException(ex);
        }
    }

    private static MethodHandle endpointGetter() {
        try {
            Class<?> remoteBase = Class.forName("org.apache.tomcat.websocket.WsRemoteEndpointBase");
            Class<?> implBase = Class.forName("org.apache.tomcat.websocket.WsRemoteEndpointImplBase");
            return MethodHandles.privateLookupIn(remoteBase, MethodHandles.lookup())
                    .findGetter(remoteBase, "base", implBase);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError ex) {
            log.warn(
                    "Tomcat's WebSocket endpoint is not reachable ({}): every frame is written on its own",
                    ex.toString());
            return null;
        }
    }

    private static MethodHandle startMessage() {
        try {
            Class<?> implBase = Class.forName("org.apache.tomcat.websocket.WsRemoteEndpointImplBase");
            return MethodHandles.privateLookupIn(implBase, MethodHandles.lookup())
                    .findVirtual(
                            implBase,
                            "startMessage",
                            MethodType.methodType(
                                    void.class, byte.class, ByteBuffer.class, boolean.class, SendHandler.class));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError ex) {
            log.warn(
                    "Tomcat's non-blocking flush is not reachable ({}): every frame is written on its own",
                    ex.toString());
            return null;
        }
    }
}
