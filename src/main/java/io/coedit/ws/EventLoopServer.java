package io.coedit.ws;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import lombok.extern.slf4j.Slf4j;

import org.springframework.context.SmartLifecycle;

import io.coedit.system.DaemonThreads;
import io.coedit.system.LifecyclePhases;

/**
 * The document endpoint on Netty ({@link EventLoopProperties}): a connection's frames are read and handled on its
 * event loop thread, where the web server reads them on a poller and hands each to a request thread. Sessions opened
 * here are the same sessions as the web server's (the registry, the rooms, the upkeep, the drain); this class only
 * listens, and stops listening after they were closed.
 */
@Slf4j
final class EventLoopServer implements SmartLifecycle {

    /** A handshake request has no body; its headers are bounded by the codec (8 KiB, as Tomcat's default). */
    private static final int MAX_HANDSHAKE_BODY = 0;

    /** Connections the kernel may hold for accepting, as {@code server.tomcat.accept-count} for the web port. */
    private static final int ACCEPT_BACKLOG = 1000;

    private final EventLoopProperties properties;
    private final WebSocketProperties limits;
    private final EventLoopHandshake.Rules rules;
    private EventLoopGroup loops;
    private Channel listening;
    private volatile int port = -1;
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean full;

    EventLoopServer(EventLoopProperties properties, WebSocketProperties limits, EventLoopHandshake.Rules rules) {
        this.properties = properties;
        this.limits = limits;
        this.rules = rules;
    }

    /** Counts the connection in, or closes it when {@code max-connections} are open already. */
    private boolean admitted(Channel channel) {
        if (open.incrementAndGet() > properties.maxConnections()) {
            open.decrementAndGet();
            if (!full) {
                full = true;
                log.warn(
                        "{} connections open on the event loop endpoint (coedit.ws.event-loop.max-connections); "
                                + "closing new ones",
                        properties.maxConnections());
            }
            channel.close();
            return false;
        }
        full = false;
        channel.closeFuture().addListener(closed -> open.decrementAndGet());
        return true;
    }

    /** Connections open now, upgraded or not. */
    int connections() {
        return open.get();
    }

    /** The port it listens on, once started; -1 before. */
    int port() {
        return port;
    }

    @Override
    public synchronized void start() {
        WebSocketServerProtocolConfig webSocket = WebSocketServerProtocolConfig.newBuilder()
                // Netty matches the path up to a '/' or '?': every path under it (EventLoopHandshake checked the id)
                .websocketPath(DocumentAccessInterceptor.PATH_PREFIX.substring(
                        0, DocumentAccessInterceptor.PATH_PREFIX.length() - 1))
                .checkStartsWith(true)
                .subprotocols(CollabWebSocketHandler.SUBPROTOCOL)
                .allowExtensions(false)
                .maxFramePayloadLength((int)
                        Math.min(Integer.MAX_VALUE, limits.maxMessageSize().toBytes()))
                .handleCloseFrames(false)
                .dropPongFrames(false)
                .forceCloseTimeoutMillis(limits.sendTimeLimit().toMillis())
                .handshakeTimeoutMillis(properties.handshakeTimeout().toMillis())
                .build();
        loops = new MultiThreadIoEventLoopGroup(
                properties.threadCount(), DaemonThreads.named("coedit-ws-loop"), NioIoHandler.newFactory());
        try {
            listening = new ServerBootstrap()
                    .group(loops)
                    .channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.SO_BACKLOG, ACCEPT_BACKLOG)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            if (!admitted(channel)) {
                                return;
                            }
                            channel.pipeline()
                                    .addLast(new HttpServerCodec())
                                    .addLast(new HttpObjectAggregator(MAX_HANDSHAKE_BODY))
                                    .addLast(new EventLoopHandshake(rules, properties.handshakeTimeout()))
                                    .addLast(new WebSocketServerProtocolHandler(webSocket));
                        }
                    })
                    .bind(properties.address(), properties.port())
                    .syncUninterruptibly()
                    .channel();
        } catch (RuntimeException ex) {
            loops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw ex;
        }
        port = ((InetSocketAddress) listening.localAddress()).getPort();
        log.info("WebSocket endpoint on the event loop listening on {}:{}", properties.address(), port);
    }

    @Override
    public synchronized void stop() {
        if (listening == null) {
            return;
        }
        listening.close().syncUninterruptibly();
        // the sessions were closed before (SessionRegistry stops first); what is left of their close frames goes out
        loops.shutdownGracefully(100, limits.sendTimeLimit().toMillis(), TimeUnit.MILLISECONDS)
                .syncUninterruptibly();
        listening = null;
        port = -1;
    }

    @Override
    public synchronized boolean isRunning() {
        return listening != null;
    }

    /** Stops after the sessions (closed at {@link LifecyclePhases#SESSIONS}), before the rooms' work ends. */
    @Override
    public int getPhase() {
        return LifecyclePhases.SESSIONS - 64;
    }
}
