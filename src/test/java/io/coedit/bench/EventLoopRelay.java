package io.coedit.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.EventLoopGroupProvider;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;

import io.coedit.ot.TextOperation;

/**
 * The benchmark's event-loop floor: the least a relay speaking Coedit's protocol must do, with the WebSocket server
 * and the Redis client of an instance on one event loop thread, so that an op crosses no thread inside it. On the
 * writers' instance: read the op frame, one script call (INCR the revision, RPUSH the op to the log, PUBLISH it),
 * and the ack written where the reply is read; on the readers' instance: the published op applied to the document
 * and written to its sessions, encoded once. Run beside Coedit on the same generator and Redis, it tells what of an
 * op's cost is the box's and what is Coedit's design (docs/benchmarks.md).
 *
 * <p>A reference, not a server: no token check, no limits, no transform (a document has one writer, whose op must
 * be based on the head, or it gets an error frame), no presence, and a document's state is what this instance has
 * seen since its first session joined (the relay workloads use fresh documents). Started by {@link Topology} with
 * Coedit's command-line arguments, of which it reads the port, Redis's port and the instance id.
 */
public final class EventLoopRelay {

    private static final String COMMIT_SCRIPT = "local rev = redis.call('INCR', KEYS[1]) "
            + "redis.call('RPUSH', KEYS[2], ARGV[2]) "
            + "redis.call('PUBLISH', KEYS[3], ARGV[1] .. '|' .. rev .. '|' .. ARGV[2]) "
            + "return rev";

    private static final String OPS_CHANNEL = "ops:";

    private static final String DOCUMENTS_PATH = "/api/documents/";

    /** One document as this instance knows it; touched only on the event loop. */
    private static final class Document {
        private String text = "";
        private long rev;
        private final List<Channel> sessions = new ArrayList<>();
        private boolean subscribed;
    }

    private final Map<String, Document> documents = new HashMap<>();
    private final String origin;
    private final StatefulRedisConnection<String, String> redis;
    private final StatefulRedisPubSubConnection<String, String> relay;
    private final String commitSha;

    private EventLoopRelay(
            String origin,
            StatefulRedisConnection<String, String> redis,
            StatefulRedisPubSubConnection<String, String> relay) {
        this.origin = origin;
        this.redis = redis;
        this.relay = relay;
        this.commitSha = redis.sync().scriptLoad(COMMIT_SCRIPT);
        relay.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                published(channel.substring(OPS_CHANNEL.length()), message);
            }
        });
    }

    public static void main(String[] args) throws InterruptedException {
        int port = 0;
        int redisPort = 6379;
        String origin = "event-loop";
        for (String arg : args) {
            if (arg.startsWith("--server.port=")) {
                port = Integer.parseInt(arg.substring("--server.port=".length()));
            } else if (arg.startsWith("--spring.data.redis.port=")) {
                redisPort = Integer.parseInt(arg.substring("--spring.data.redis.port=".length()));
            } else if (arg.startsWith("--coedit.cluster.instance-id=")) {
                origin = arg.substring("--coedit.cluster.instance-id=".length());
            }
        }
        EventLoopGroup loop = new NioEventLoopGroup(1);
        ClientResources resources = DefaultClientResources.builder()
                .eventLoopGroupProvider(new SharedLoop(loop))
                .build();
        RedisClient client = RedisClient.create(resources, RedisURI.create("127.0.0.1", redisPort));
        EventLoopRelay server = new EventLoopRelay(origin, client.connect(), client.connectPubSub());
        WebSocketServerProtocolConfig webSocket = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/ws/documents")
                .checkStartsWith(true)
                .subprotocols("coedit.v1")
                .maxFramePayloadLength(64 * 1024)
                .build();
        new ServerBootstrap()
                .group(loop)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpObjectAggregator(64 * 1024))
                                .addLast(new WebSocketServerProtocolHandler(webSocket))
                                .addLast(server.new Session());
                    }
                })
                .bind("127.0.0.1", port)
                .sync();
        Thread.currentThread().join();
    }

    private Document document(String id) {
        return documents.computeIfAbsent(id, key -> new Document());
    }

    /** An op another instance committed: applied here, and written to this instance's sessions. */
    private void published(String documentId, String message) {
        int afterOrigin = message.indexOf('|');
        int afterRev = message.indexOf('|', afterOrigin + 1);
        if (message.substring(0, afterOrigin).equals(origin)) {
            return; // this instance's own op: its writer has the ack
        }
        long rev = Long.parseLong(message.substring(afterOrigin + 1, afterRev));
        String payload = message.substring(afterRev + 1);
        Document document = document(documentId);
        document.text =
                TextOperation.fromComponents(ServerFrame.parse(payload).op()).apply(document.text);
        document.rev = rev;
        ByteBuf frame = Unpooled.copiedBuffer(
                "{\"type\":\"op\",\"rev\":" + rev + "," + payload.substring(1), StandardCharsets.UTF_8);
        for (Channel session : document.sessions) {
            session.writeAndFlush(new TextWebSocketFrame(frame.retainedDuplicate()));
        }
        frame.release();
    }

    private static String json(String text) {
        return BenchClient.JSON.writeValueAsString(text);
    }

    /** One connection: HTTP (readiness, a document's state) until it upgrades, then one session of a document. */
    private final class Session extends SimpleChannelInboundHandler<Object> {
        private String documentId;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (!(event instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake)) {
                super.userEventTriggered(ctx, event);
                return;
            }
            String uri = handshake.requestUri();
            documentId = uri.substring(uri.lastIndexOf('/') + 1);
            Document document = document(documentId);
            document.sessions.add(ctx.channel());
            if (document.subscribed) {
                sendSnapshot(ctx, document);
            } else {
                document.subscribed = true;
                // the snapshot once the channel is subscribed, so that no op falls between the two
                relay.async().subscribe(OPS_CHANNEL + documentId).thenRun(() -> sendSnapshot(ctx, document));
            }
        }

        private void sendSnapshot(ChannelHandlerContext ctx, Document document) {
            ctx.writeAndFlush(new TextWebSocketFrame(
                    "{\"type\":\"snapshot\",\"rev\":" + document.rev + ",\"content\":" + json(document.text) + "}"));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (documentId != null) {
                document(documentId).sessions.remove(ctx.channel());
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object message) {
            if (message instanceof FullHttpRequest request) {
                http(ctx, request);
            } else if (message instanceof TextWebSocketFrame text) {
                submit(ctx, ServerFrame.parse(text.text()));
            }
        }

        private void submit(ChannelHandlerContext ctx, ServerFrame op) {
            String id = documentId;
            Document document = document(id);
            if (op.revision() != document.rev) {
                ctx.writeAndFlush(new TextWebSocketFrame(
                        "{\"type\":\"error\",\"code\":\"behind\",\"id\":" + json(op.id()) + "}"));
                return;
            }
            TextOperation operation = TextOperation.fromComponents(op.op());
            String opId = json(op.id());
            String payload = "{\"op\":" + operation + ",\"id\":" + opId + "}";
            String[] keys = {"rev:{" + id + "}", "log:{" + id + "}", OPS_CHANNEL + id};
            redis.async()
                    .<Long>evalsha(commitSha, ScriptOutputType.INTEGER, keys, origin, payload)
                    .thenAccept(rev -> {
                        document.text = operation.apply(document.text);
                        document.rev = rev;
                        ctx.writeAndFlush(
                                new TextWebSocketFrame("{\"type\":\"ack\",\"rev\":" + rev + ",\"id\":" + opId + "}"));
                    });
        }

        private void http(ChannelHandlerContext ctx, FullHttpRequest request) {
            String uri = request.uri();
            HttpResponseStatus status = HttpResponseStatus.NOT_FOUND;
            String body = "{}";
            if (uri.startsWith("/actuator/health")) {
                status = HttpResponseStatus.OK;
                body = "{\"status\":\"UP\"}";
            } else if (uri.startsWith(DOCUMENTS_PATH)) {
                Document document = documents.get(uri.substring(DOCUMENTS_PATH.length()));
                if (document != null) {
                    status = HttpResponseStatus.OK;
                    body = "{\"rev\":" + document.rev + ",\"content\":" + json(document.text) + "}";
                }
            }
            FullHttpResponse response = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            response.headers()
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            ctx.writeAndFlush(response);
        }
    }

    /** Lettuce's connections on the server's own event loop. */
    private record SharedLoop(EventLoopGroup loop) implements EventLoopGroupProvider {
        @Override
        @SuppressWarnings("unchecked")
        public <T extends EventLoopGroup> T allocate(Class<T> type) {
            return (T) loop;
        }

        @Override
        public int threadPoolSize() {
            return 1;
        }

        @Override
        public Future<Boolean> release(EventExecutorGroup group, long quietPeriod, long timeout, TimeUnit unit) {
            return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
        }

        @Override
        public Future<Boolean> shutdown(long quietPeriod, long timeout, TimeUnit unit) {
            return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
        }
    }
}
