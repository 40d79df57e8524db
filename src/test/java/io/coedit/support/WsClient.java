package io.coedit.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real WebSocket client (the JDK's) that queues every JSON message it receives, for tests to await. */
public final class WsClient implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final BlockingQueue<ByteBuffer> pongs = new LinkedBlockingQueue<>();
    private final WebSocket socket;

    private WsClient(URI uri, String token, boolean asSubprotocol) {
        this(HttpClient.newHttpClient(), uri, token, asSubprotocol);
    }

    private WsClient(HttpClient http, URI uri, String token, boolean asSubprotocol) {
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(TIMEOUT);
        if (asSubprotocol) {
            builder.subprotocols("coedit.v1", "bearer." + token);
        } else if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        this.socket = builder.buildAsync(uri, new Listener())
                .orTimeout(10, TimeUnit.SECONDS)
                .join();
    }

    /** Connects with the token in the Authorization header. */
    public static WsClient connect(int port, String documentId, String token) {
        return new WsClient(URI.create("ws://127.0.0.1:" + port + "/ws/documents/" + documentId), token, false);
    }

    /** Connects the way browsers do: the token as a {@code bearer.} subprotocol beside {@code coedit.v1}. */
    public static WsClient connectWithSubprotocol(int port, String documentId, String token) {
        return new WsClient(URI.create("ws://127.0.0.1:" + port + "/ws/documents/" + documentId), token, true);
    }

    /**
     * As {@link #connectWithSubprotocol(int, String, String)}, on a client shared with other sessions: a client of its
     * own keeps a selector thread per session, too many for a test that opens thousands.
     */
    public static WsClient connectWithSubprotocol(HttpClient http, int port, String documentId, String token) {
        return new WsClient(http, URI.create("ws://127.0.0.1:" + port + "/ws/documents/" + documentId), token, true);
    }

    public static WsClient connectWithQueryToken(int port, String documentId, String token) {
        return new WsClient(
                URI.create("ws://127.0.0.1:" + port + "/ws/documents/" + documentId + "?access_token=" + token),
                null,
                false);
    }

    public String subprotocol() {
        return socket.getSubprotocol();
    }

    public void send(String json) {
        socket.sendText(json, true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** One frame of a fragmented message; the server sees the message once a frame with {@code last} arrives. */
    public void sendPart(String text, boolean last) {
        socket.sendText(text, last).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /**
     * Like {@link #sendPart}, for a frame the server may refuse to wait for: when the server had closed the connection
     * first, the frame never leaves, and that is not a failure.
     */
    public void sendPartUnlessClosed(String text, boolean last) {
        try {
            sendPart(text, last);
        } catch (CompletionException e) {
            if (!socket.isOutputClosed() && !closed.isDone()) {
                throw e;
            }
        }
    }

    public void send(Object message) {
        send(JSON.writeValueAsString(message));
    }

    public void sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true)
                .orTimeout(10, TimeUnit.SECONDS)
                .join();
    }

    /** The next message, whatever its type. */
    public JsonNode next() {
        try {
            JsonNode message = received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                throw new AssertionError("No message within " + TIMEOUT);
            }
            return message;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    /** The next message of this type; messages of other types before it are dropped. */
    public JsonNode await(String type) {
        return await(message -> type.equals(message.path("type").asString()));
    }

    public JsonNode await(Predicate<JsonNode> wanted) {
        return await(wanted, TIMEOUT);
    }

    /** The next message {@code wanted} accepts, within {@code timeout}; messages before it are dropped. */
    public JsonNode await(Predicate<JsonNode> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> skipped = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            try {
                JsonNode message = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (message != null && wanted.test(message)) {
                    return message;
                }
                if (message != null) {
                    skipped.add(message.toString());
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new AssertionError(ex);
            }
        }
        throw new AssertionError("Wanted message not received; skipped " + skipped);
    }

    /** A message that is already queued or arrives within {@code wait}, or null. */
    public JsonNode poll(Duration wait) throws InterruptedException {
        return received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The close code the server sent (or 1006 for a dropped connection). */
    public int awaitClose() {
        return closed.orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** Sends a ping and waits up to {@code wait} for the pong that echoes it; false when none came. */
    public boolean pingAnswered(Duration wait) throws InterruptedException {
        byte[] payload = Long.toString(System.nanoTime()).getBytes(StandardCharsets.US_ASCII);
        socket.sendPing(ByteBuffer.wrap(payload)).join();
        long deadline = System.nanoTime() + wait.toNanos();
        for (long left = wait.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            ByteBuffer pong = pongs.poll(left, TimeUnit.NANOSECONDS);
            if (pong != null && pong.equals(ByteBuffer.wrap(payload))) {
                return true;
            }
        }
        return false;
    }

    /** Starts the close handshake, as a browser's {@code close()} does, and keeps reading until the server's reply. */
    public void sendClose() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(ex -> null);
    }

    /** Cuts the TCP connection without a close handshake. */
    public void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(ex -> null);
        }
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder parts = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            parts.append(data);
            if (last) {
                received.add(JSON.readTree(parts.toString()));
                parts.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            ByteBuffer copy = ByteBuffer.allocate(message.remaining());
            copy.put(message).flip();
            pongs.add(copy);
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(1006);
        }
    }
}
