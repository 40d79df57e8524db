package io.coedit.ws;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.concurrent.Future;

import org.springframework.web.socket.CloseStatus;

/**
 * A session's frames written to its connection on the event loop endpoint ({@link EventLoopServer}), through the
 * same {@link Outbox} as on the web server's endpoint, so the send buffer's limit, the stalled write and the frames
 * written before a close behave alike. A write completes on the connection's event loop.
 */
final class EventLoopFrameSink extends OutboxFrameSink {

    private static final SendResult WRITTEN = new SendResult((Session) null);

    private final Channel channel;
    private final String id;
    /** The close the server began, if it did: what the connection is reported closed with. */
    private final AtomicReference<CloseStatus> closedWith = new AtomicReference<>();

    EventLoopFrameSink(
            Channel channel,
            String id,
            WebSocketProperties properties,
            Outbox.Overflow overflow,
            Outbox.Wait presenceWait) {
        this(channel, id, properties, overflow, presenceWait, new Writes(channel));
    }

    private EventLoopFrameSink(
            Channel channel,
            String id,
            WebSocketProperties properties,
            Outbox.Overflow overflow,
            Outbox.Wait presenceWait,
            Writes writes) {
        super(new Outbox(writes, properties.sendBufferLimit().toBytes(), overflow, writes, presenceWait));
        this.channel = channel;
        this.id = id;
    }

    /**
     * The connection's writes. A frame alone is written and flushed; frames that queued up behind a write are
     * written without a flush while the outbox batches them, and leave in one flush (one system call for all).
     */
    private static final class Writes implements Outbox.Writer, Outbox.Batch {
        /** What one flush of queued frames may carry. */
        private static final int BATCH_BYTES = 64 * 1024;

        private final Channel channel;
        private volatile boolean batching;

        Writes(Channel channel) {
            this.channel = channel;
        }

        @Override
        public void write(TextFrame frame, SendHandler done) {
            TextWebSocketFrame text = new TextWebSocketFrame(Unpooled.wrappedBuffer(frame.payload()));
            if (batching) {
                // a write that fails fails the flush after it, which tells the outbox
                channel.write(text, channel.voidPromise());
                done.onResult(WRITTEN);
            } else {
                channel.writeAndFlush(text).addListener(written -> done.onResult(result(written)));
            }
        }

        @Override
        public Executor thread() {
            EventLoop loop = channel.eventLoop();
            return loop.inEventLoop() ? null : loop;
        }

        @Override
        public boolean start() {
            batching = channel.isActive();
            return batching;
        }

        @Override
        public int capacity() {
            return BATCH_BYTES;
        }

        @Override
        public void flush(SendHandler done) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(flushed -> done.onResult(result(flushed)));
        }

        @Override
        public void stop() {
            batching = false;
        }

        private static SendResult result(Future<?> write) {
            return write.isSuccess() ? WRITTEN : new SendResult(null, write.cause());
        }
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
    public void ping() {
        channel.writeAndFlush(new PingWebSocketFrame());
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
