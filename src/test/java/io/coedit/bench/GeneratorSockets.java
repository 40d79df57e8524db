package io.coedit.bench;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The load generator's WebSocket connections, on Netty: frames are handled on the event loop that read them, with
 * no hand-off. The JDK's client took 49-62 us of CPU per op at 10,000 ops/s, 41% of it on its selector thread, on
 * the two cores the generator shares with the instances it measures (docs/benchmarks.md).
 */
final class GeneratorSockets implements AutoCloseable {

    /** Server frames larger than this fail the session: a snapshot of the largest benchmark document is far less. */
    private static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    private static final int CONNECT_TIMEOUT_MILLIS = 30_000;
    private static final long CLOSE_TIMEOUT_SECONDS = 5;

    /** What a connection tells its owner, on its event loop; each message whole. */
    interface Listener {
        void onText(String text, long nanos);

        void onPong();

        void onClose(int status, String reason);

        void onError(Throwable error);
    }

    /** One open connection. Every method may be called from any thread. */
    static final class Socket {
        private final Channel channel;
        private volatile boolean closeSent;

        private Socket(Channel channel) {
            this.channel = channel;
        }

        void sendText(String text) {
            channel.writeAndFlush(new TextWebSocketFrame(text));
        }

        void sendPing() {
            channel.writeAndFlush(new PingWebSocketFrame());
        }

        /** Starts the closing handshake; the connection is dropped if the server has not answered in 5 s. */
        void sendClose(int status, String reason) {
            closeSent = true;
            channel.writeAndFlush(new CloseWebSocketFrame(status, reason));
            channel.eventLoop().schedule(() -> channel.close(), CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }

        void abort() {
            channel.close();
        }
    }

    private final EventLoopGroup group;

    GeneratorSockets(int threads) {
        group = new MultiThreadIoEventLoopGroup(
                threads, new DefaultThreadFactory("generator-ws", true), NioIoHandler.newFactory());
    }

    /** Opens {@code uri} offering {@code subprotocols} (comma-separated); completes when the handshake did. */
    CompletableFuture<Socket> connect(URI uri, String subprotocols, Listener listener) {
        CompletableFuture<Socket> opened = new CompletableFuture<>();
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .subprotocol(subprotocols)
                .maxFramePayloadLength(MAX_MESSAGE_BYTES)
                .handleCloseFrames(false)
                .dropPongFrames(false)
                .generateOriginHeader(false)
                .handshakeTimeoutMillis(CONNECT_TIMEOUT_MILLIS)
                .build();
        new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline()
                                .addLast(new HttpClientCodec())
                                .addLast(new HttpObjectAggregator(64 * 1024))
                                .addLast(new WebSocketClientProtocolHandler(config))
                                .addLast(new WebSocketFrameAggregator(MAX_MESSAGE_BYTES))
                                .addLast(new Connection(opened, listener));
                    }
                })
                .connect(uri.getHost(), uri.getPort())
                .addListener(connected -> {
                    if (!connected.isSuccess()) {
                        opened.completeExceptionally(connected.cause());
                    }
                });
        return opened;
    }

    /** Runs {@code task} on a connection thread: with one thread, a test holds its sessions' reading back with it. */
    void execute(Runnable task) {
        group.next().execute(task);
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private static final class Connection extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final CompletableFuture<Socket> opened;
        private final Listener listener;
        private Socket socket;
        private boolean closeReported;

        Connection(CompletableFuture<Socket> opened, Listener listener) {
            this.opened = opened;
            this.listener = listener;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                socket = new Socket(ctx.channel());
                opened.complete(socket);
            } else if (event == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                opened.completeExceptionally(new IllegalStateException("WebSocket handshake timed out"));
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            long now = System.nanoTime();
            if (frame instanceof TextWebSocketFrame text) {
                listener.onText(text.text(), now);
            } else if (frame instanceof PongWebSocketFrame) {
                listener.onPong();
            } else if (frame instanceof CloseWebSocketFrame close) {
                reportClose(close.statusCode(), close.reasonText());
                if (socket != null && !socket.closeSent) {
                    ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode(), close.reasonText()))
                            .addListener(written -> ctx.close());
                } else {
                    ctx.close();
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            opened.completeExceptionally(new IllegalStateException("connection closed before the handshake"));
            reportClose(1006, "connection closed without a close frame");
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!opened.completeExceptionally(cause)) {
                listener.onError(cause);
            }
            ctx.close();
        }

        private void reportClose(int status, String reason) {
            if (!closeReported && opened.isDone() && !opened.isCompletedExceptionally()) {
                closeReported = true;
                listener.onClose(status, reason);
            }
        }
    }
}
