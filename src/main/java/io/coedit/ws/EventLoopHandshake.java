package io.coedit.ws;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import lombok.extern.slf4j.Slf4j;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.util.UriComponents;
import org.springframework.web.util.UriComponentsBuilder;

import io.coedit.document.DocumentId;
import io.coedit.error.ErrorCode;
import io.coedit.security.BearerSubprotocol;
import io.coedit.security.CoeditUser;
import io.coedit.security.TokenVerifier;

/**
 * Decides an upgrade on the event loop endpoint with the web server endpoint's rules, in its order: the token (the
 * {@code Authorization} header, the {@code access_token} query parameter when allowed, or a {@code bearer.<jwt>}
 * subprotocol; 401), the drain (503), the document id (400), the token's documents (403), the origin (403), then
 * Netty's own checks of the upgrade. An upgrade that passes goes on to Netty's handshake with the user and document
 * attached to the connection's session handler; nothing of the request is kept.
 */
@Slf4j
final class EventLoopHandshake extends SimpleChannelInboundHandler<FullHttpRequest> {

    /** Spring Security's form of a bearer token in the {@code Authorization} header. */
    private static final Pattern AUTHORIZATION =
            Pattern.compile("^Bearer (?<token>[a-zA-Z0-9-._~+/]+=*)$", Pattern.CASE_INSENSITIVE);

    private static final String WEBSOCKET_VERSION = "13";

    private static final AtomicLong CONNECTIONS = new AtomicLong();

    /** What the handshake needs from the application; one for all connections. */
    record Rules(
            TokenVerifier tokens,
            boolean allowQueryToken,
            BooleanSupplier draining,
            CorsConfiguration origins,
            JsonMapper json,
            MeterRegistry meters,
            CollabWebSocketHandler handler,
            WebSocketProperties properties,
            PresenceWait presenceWait) {}

    private final Rules rules;
    private final Duration timeout;
    private ScheduledFuture<?> deadline;

    EventLoopHandshake(Rules rules, Duration timeout) {
        super(false);
        this.rules = rules;
        this.timeout = timeout;
    }

    /** A connection that has not sent its whole upgrade request in time is closed: it holds an open file. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        deadline = ctx.executor().schedule(() -> ctx.channel().close(), timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        deadline.cancel(false);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            refuse(ctx, request, HttpResponseStatus.BAD_REQUEST);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.rawPath();
        if (!path.startsWith(DocumentAccessInterceptor.PATH_PREFIX)) {
            refuse(ctx, request, HttpResponseStatus.NOT_FOUND);
            return;
        }
        CoeditUser user;
        try {
            user = rules.tokens().verify(token(request.headers(), uri));
        } catch (TokenVerifier.InvalidTokenException ex) {
            rules.meters().counter("coedit.auth.failures", "reason", ex.kind()).increment();
            unauthorized(ctx, request, path);
            return;
        }
        if (rules.draining().getAsBoolean()) {
            refuse(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE);
            return;
        }
        String rawId = path.substring(DocumentAccessInterceptor.PATH_PREFIX.length());
        if (!DocumentId.isValid(rawId)) {
            log.debug("Handshake rejected: invalid document id");
            refuse(ctx, request, HttpResponseStatus.BAD_REQUEST);
            return;
        }
        if (!user.canRead(rawId)) {
            log.debug("Handshake rejected: user {} may not open {}", user.id(), rawId);
            refuse(ctx, request, HttpResponseStatus.FORBIDDEN);
            return;
        }
        if (!originAllowed(request.headers())) {
            log.debug(
                    "Handshake rejected: origin {} not allowed",
                    request.headers().get(HttpHeaderNames.ORIGIN));
            refuse(ctx, request, HttpResponseStatus.FORBIDDEN);
            return;
        }
        if (!HttpMethod.GET.equals(request.method())) {
            refuse(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED);
            return;
        }
        HttpHeaders headers = request.headers();
        if (!"websocket".equalsIgnoreCase(headers.get(HttpHeaderNames.UPGRADE))
                || !headers.containsValue(HttpHeaderNames.CONNECTION, "upgrade", true)) {
            refuse(ctx, request, HttpResponseStatus.BAD_REQUEST);
            return;
        }
        if (!WEBSOCKET_VERSION.equals(headers.get(HttpHeaderNames.SEC_WEBSOCKET_VERSION))) {
            // RFC 6455 only: Netty would also speak the drafts before it (versions 0, 7 and 8), the web server does not
            FullHttpResponse response = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1, HttpResponseStatus.UPGRADE_REQUIRED, Unpooled.EMPTY_BUFFER);
            response.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, WEBSOCKET_VERSION);
            answer(ctx, request, response);
            return;
        }
        if (!headers.contains(HttpHeaderNames.SEC_WEBSOCKET_KEY)) {
            refuse(ctx, request, HttpResponseStatus.BAD_REQUEST);
            return;
        }
        // the session's handler, then the request on to Netty's handshake, which answers 101 and tells the handler
        ctx.pipeline()
                .addLast(new EventLoopSession(
                        rules.handler(),
                        rules.properties(),
                        rules.presenceWait(),
                        "loop-" + Long.toHexString(CONNECTIONS.incrementAndGet()),
                        new DocumentId(rawId),
                        user));
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(request);
    }

    /** The token the request carries, as Spring Security's resolver finds it; null for none or more than one. */
    private String token(HttpHeaders headers, QueryStringDecoder uri) {
        String header = headers.get(HttpHeaderNames.AUTHORIZATION);
        String fromHeader = null;
        if (header != null && header.regionMatches(true, 0, "bearer", 0, "bearer".length())) {
            Matcher matcher = AUTHORIZATION.matcher(header);
            if (!matcher.matches()) {
                return null; // malformed
            }
            fromHeader = matcher.group("token");
        }
        List<String> fromQuery = rules.allowQueryToken() ? uri.parameters().get("access_token") : null;
        if (fromQuery != null && !fromQuery.isEmpty()) {
            return fromHeader == null
                            && fromQuery.size() == 1
                            && !fromQuery.get(0).isEmpty()
                    ? fromQuery.get(0)
                    : null;
        }
        if (fromHeader != null) {
            return fromHeader;
        }
        for (String offered : headers.getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)) {
            for (String protocol : offered.split(",")) {
                String trimmed = protocol.trim();
                if (trimmed.startsWith(BearerSubprotocol.PREFIX)
                        && trimmed.length() > BearerSubprotocol.PREFIX.length()) {
                    return trimmed.substring(BearerSubprotocol.PREFIX.length());
                }
            }
        }
        return null;
    }

    /**
     * As Spring's origin check on the web endpoint: a request without {@code Origin} is not a browser's; otherwise the
     * origin must be the page's own (scheme, host and port of the {@code Host} the request was sent to) or one of
     * {@code coedit.allowed-origins} ({@code *} allows all), compared by Spring's {@link CorsConfiguration}.
     */
    private boolean originAllowed(HttpHeaders headers) {
        String origin = headers.get(HttpHeaderNames.ORIGIN);
        return origin == null
                || sameOrigin(origin, headers.get(HttpHeaderNames.HOST), scheme(headers))
                || rules.origins().checkOrigin(origin) != null;
    }

    /**
     * The scheme the page reached the load balancer with: behind one that terminates TLS (deploy/nginx.conf sets
     * {@code X-Forwarded-Proto}) an {@code https} page is still the endpoint's own. A browser cannot set the header
     * on a WebSocket handshake, so it cannot widen the check for a page of another site.
     */
    private static String scheme(HttpHeaders headers) {
        String forwarded = headers.get("X-Forwarded-Proto");
        if (forwarded == null) {
            return "http";
        }
        int comma = forwarded.indexOf(',');
        return (comma < 0 ? forwarded : forwarded.substring(0, comma)).trim().toLowerCase(Locale.ROOT);
    }

    private static boolean sameOrigin(String origin, String host, String scheme) {
        if (host == null) {
            return false;
        }
        try {
            UriComponents page = UriComponentsBuilder.fromUriString(origin).build();
            UriComponents request =
                    UriComponentsBuilder.fromUriString(scheme + "://" + host).build();
            return scheme.equals(page.getScheme())
                    && page.getHost() != null
                    && page.getHost().equalsIgnoreCase(request.getHost())
                    && port(page) == port(request);
        } catch (IllegalArgumentException ex) {
            return false; // not a URL ("null", say)
        }
    }

    private static int port(UriComponents url) {
        return url.getPort() >= 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
    }

    private void unauthorized(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
        ErrorCode code = ErrorCode.UNAUTHORIZED;
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", HttpResponseStatus.UNAUTHORIZED.reasonPhrase());
        problem.put("status", code.status().value());
        problem.put("detail", "A valid bearer token is required.");
        problem.put("instance", path);
        problem.put("code", code.value());
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                HttpResponseStatus.UNAUTHORIZED,
                Unpooled.wrappedBuffer(rules.json().writeValueAsBytes(problem)));
        response.headers()
                .set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer")
                .set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json");
        answer(ctx, request, response);
    }

    private static void refuse(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status) {
        answer(ctx, request, new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER));
    }

    /** Answers and closes: a refused upgrade ends the connection, as it would the web server's after the answer. */
    private static void answer(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
        request.release();
        HttpUtil.setContentLength(response, response.content().readableBytes());
        response.headers().set(HttpHeaderNames.CONNECTION, "close");
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
