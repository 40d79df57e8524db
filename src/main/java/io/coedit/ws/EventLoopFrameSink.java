package io.coedit.ws;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

import org.springframework.web.socket.CloseStatus;

/**
 * A session's frames written to its connection on the event loop endpoint ({@link EventLoopServer}), through the
 * same {@link Outbox} as on the web server's endpoint, so the send buffer's limit, the stalled write and the frames
 * written before a close behave alike. A write completes on the connection's event loop.
 */
final class EventLoopFrameSink implements FrameSink {

    private static final SendResult WRITTEN = new SendResult((Session) null);

    private final Channel channel;
    private final String id;
    private final Outbox out;
    /** The close the server began, if it did: what the connection is reported closed with. */
    private final AtomicReference<CloseStatus> closedWith = new AtomicReference<>();

    EventLoopFrameSink(
            Channel channel,
            String id,
            WebSocketProperties properties,
            Outbox.Overflow overflow,
            Outbox.Wait presenceWait) {
        this.channel = channel;
        this.id = id;
        this.out = new Outbox(this::write, properties.sendBufferLimit().toBytes(), overflow, null, presenceWait);
    }

    private void write(TextFrame frame, SendHandler done) {
        channel.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(frame.payload())))
                .addListener(written ->
                        done.onResult(written.isSuccess() ? WRITTEN : new SendResult(null, written.cause())));
    }

    /** The connection. */
    Channel channel() {
        return channel;
    }

    /** The close the server sent, or null when it sent none. */
    CloseStatus closedWith() {
        return closedWith.get();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void send(TextFrame frame) {
        out.send(frame);
    }

    @Override
    public void sendSoon(TextFrame frame) {
        out.sendSoon(frame);
    }

    @Override
    public boolean idle() {
        return out.idle();
    }

    @Override
    public long lastWrittenNanos() {
        return out.lastWrittenNanos();
    }

    @Override
    public boolean stalled(long nowNanos, long limitNanos) {
        return out.stalled(nowNanos, limitNanos);
    }

    @Override
    public void ping() {
        channel.writeAndFlush(new PingWebSocketFrame());
    }

    @Override
    public void stopAfterQueued(Runnable then) {
        out.closeAfterQueued(then);
    }

    @Override
    public void stopSending() {
        out.close();
    }

    /**
     * Sends the close frame. The connection closes when the client answers it ({@link EventLoopSession}), or a moment
     * later; a peer that stopped reading gets the send time limit to take the frame ({@link EventLoopServer} sets
     * Netty's forced close to it), then the connection closes all the same.
     */
    @Override
    public void close(CloseStatus status) {
        if (closedWith.compareAndSet(null, status)) {
            channel.writeAndFlush(new CloseWebSocketFrame(status.getCode(), status.getReason()));
            try {
                channel.eventLoop().schedule(() -> channel.close(), CLOSE_REPLY_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException ex) {
                channel.close(); // the endpoint is stopping
            }
        }
    }

    @Override
    public boolean isOpen() {
        return channel.isActive() && closedWith.get() == null;
    }
}
