package io.coedit.ws;

import java.io.IOException;
import java.nio.ByteBuffer;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;

import lombok.extern.slf4j.Slf4j;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

/** A session's frames written to its WebSocket through the container's non-blocking sends ({@link Outbox}). */
@Slf4j
final class SocketFrameSink extends OutboxFrameSink {

    /** Tomcat's own bound on a blocking write (the close frame), which would otherwise wait 20 s. */
    private static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

    /**
     * How long Tomcat waits for the client's answer to the server's close frame before it closes the connection
     * (checked by its background process, every 10 s); its default of 30 s held a dead client's connection that long.
     */
    private static final String TOMCAT_SESSION_CLOSE_TIMEOUT = "org.apache.tomcat.websocket.SESSION_CLOSE_TIMEOUT";

    /** One box for every session's map. */
    private static final Long CLOSE_REPLY_WAIT = CLOSE_REPLY_WAIT_MILLIS;

    private static final ByteBuffer PING = ByteBuffer.allocate(0);

    private final WebSocketSession raw;
    private final Session container;

    SocketFrameSink(
            WebSocketSession raw, WebSocketProperties properties, Outbox.Overflow overflow, Outbox.Wait presenceWait) {
        this(raw, tomcatSession(raw, properties), properties, overflow, presenceWait);
    }

    private SocketFrameSink(
            WebSocketSession raw,
            Session container,
            WebSocketProperties properties,
            Outbox.Overflow overflow,
            Outbox.Wait presenceWait) {
        super(outbox(container, properties, overflow, presenceWait));
        this.raw = raw;
        this.container = container;
    }

    private static Session tomcatSession(WebSocketSession raw, WebSocketProperties properties) {
        Session container = ((NativeWebSocketSession) raw).getNativeSession(Session.class);
        container
                .getUserProperties()
                .put(TOMCAT_BLOCKING_SEND_TIMEOUT, properties.sendTimeLimit().toMillis());
        container.getUserProperties().put(TOMCAT_SESSION_CLOSE_TIMEOUT, CLOSE_REPLY_WAIT);
        return container;
    }

    private static Outbox outbox(
            Session container, WebSocketProperties properties, Outbox.Overflow overflow, Outbox.Wait presenceWait) {
        RemoteEndpoint.Async remote = container.getAsyncRemote();
        TomcatBatch tomcat = TomcatBatch.of(container, remote);
        Outbox.Writer writer = tomcat != null ? tomcat : Outbox.Writer.of(remote);
        return new Outbox(writer, properties.sendBufferLimit().toBytes(), overflow, tomcat, presenceWait);
    }

    /** The WebSocket session as the handshake left it. */
    WebSocketSession socket() {
        return raw;
    }

    @Override
    public String id() {
        return raw.getId();
    }

    @Override
    public void ping() {
        try {
            container.getAsyncRemote().sendPing(PING.duplicate());
        } catch (IOException | RuntimeException ex) {
            log.debug("Ping to session {} failed: {}", raw.getId(), ex.getMessage());
        }
    }

    @Override
    public void close(CloseStatus status) {
        try {
            raw.close(status);
        } catch (IOException | RuntimeException ex) {
            log.debug("Closing session {} failed: {}", raw.getId(), ex.getMessage());
        }
    }

    @Override
    public boolean isOpen() {
        return raw.isOpen();
    }
}
