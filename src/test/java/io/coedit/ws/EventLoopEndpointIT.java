package io.coedit.ws;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import io.coedit.CoeditIntegrationTest;
import io.coedit.support.RawHandshake;
import io.coedit.support.RestClient;
import io.coedit.support.Tokens;
import io.coedit.support.WsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What only the endpoint on the event loop has to get right, besides the tests it shares with the web server's. */
@EventLoopEndpoint
@TestPropertySource(
        properties = {
            "coedit.ws.event-loop.handshake-timeout=1s",
            "coedit.ws.event-loop.max-connections=4",
            "coedit.allowed-origins=https://app.example"
        })
class EventLoopEndpointIT extends CoeditIntegrationTest {

    private static final int OPCODE_TEXT = 0x1;
    private static final int OPCODE_CONTINUATION = 0x0;

    @Autowired
    private EventLoopServer eventLoop;

    @Test
    void sessionsOnEitherEndpointEditOneDocumentTogether() {
        String doc = "both-endpoints";
        try (WsClient web = WsClient.connect(port, doc, Tokens.user("web").sign());
                WsClient loop = WsClient.connect(
                        eventLoop.port(), doc, Tokens.user("loop").sign())) {
            web.await("snapshot");
            loop.await("snapshot");
            web.send(Map.of("type", "op", "rev", 0, "op", List.of("web "), "id", "web:1"));
            assertThat(web.await("ack").get("rev").asLong()).isEqualTo(1);
            assertThat(loop.await("op").get("op").toString()).isEqualTo("[\"web \"]");
            loop.send(Map.of("type", "op", "rev", 1, "op", List.of(4, "loop"), "id", "loop:1"));
            assertThat(loop.await("ack").get("rev").asLong()).isEqualTo(2);
            assertThat(web.await("op").get("op").toString()).isEqualTo("[4,\"loop\"]");
        }
        assertThat(RestClient.document(port, doc).get("content").asString()).isEqualTo("web loop");
    }

    /** A fragment may end inside a character: its bytes wait for the next fragment, and nothing is garbled. */
    @Test
    void aMessageWhoseFragmentsCutCharactersInTwoArrivesWhole() throws IOException {
        String doc = "cut-characters";
        String text = "é中😀a".repeat(40);
        byte[] message = ("{\"type\":\"op\",\"rev\":0,\"op\":[\"" + text + "\"],\"id\":\"raw:1\"}")
                .getBytes(StandardCharsets.UTF_8);
        try (Socket socket = RawHandshake.to(eventLoop.port(), "/ws/documents/" + doc)
                .bearer(Tokens.valid())
                .openAndStopReading()) {
            OutputStream out = socket.getOutputStream();
            // fragments of 1 to 7 bytes: every way a two, three or four byte character can be cut is among them
            int at = 0;
            for (int size = 1; at < message.length; size = size % 7 + 1) {
                int end = Math.min(message.length, at + size);
                writeFrame(out, at == 0 ? OPCODE_TEXT : OPCODE_CONTINUATION, end == message.length, message, at, end);
                at = end;
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> RestClient.documentStatus(port, doc) == 200);
        }
        assertThat(RestClient.document(port, doc).get("content").asString()).isEqualTo(text);
    }

    @Test
    void answersNothingButTheDocumentEndpoint() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + eventLoop.port();
        HttpResponse<Void> api = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/documents/notes"))
                        .header("Authorization", "Bearer " + Tokens.valid())
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(api.statusCode()).isEqualTo(404);
        HttpResponse<Void> notAnUpgrade = http.send(
                HttpRequest.newBuilder(URI.create(base + "/ws/documents/notes"))
                        .header("Authorization", "Bearer " + Tokens.valid())
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(notAnUpgrade.statusCode()).isEqualTo(400);
        HttpResponse<String> noToken = http.send(
                HttpRequest.newBuilder(URI.create(base + "/ws/documents/notes")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(noToken.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        JsonNode problem = WsClient.JSON.readTree(noToken.body());
        assertThat(problem.get("code").asString()).isEqualTo("unauthorized");
        assertThat(problem.get("status").asInt()).isEqualTo(401);
    }

    /** Upgrades that pass every check of Coedit's but not the WebSocket handshake's own are answered, never held. */
    @Test
    void answersUpgradesTheHandshakeCannotCompleteAsTheWebServerDoes() throws IOException {
        String token = Tokens.valid();
        String[] variants = {
            "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n", // no key
            "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 8\r\n", // a draft before RFC 6455
            "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 0\r\n", // hixie-76's handshake, before both
            "Upgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n", // no Connection: Upgrade
        };
        for (String variant : variants) {
            int web = statusOf(port, token, variant);
            int loop = statusOf(eventLoop.port(), token, variant);
            assertThat(loop).as(variant).isEqualTo(web).isBetween(400, 499);
        }
    }

    /** The page's own origin is allowed beside the listed ones, as Spring's origin check allows it. */
    @Test
    void judgesOriginsAsTheWebServerDoes() throws IOException {
        String token = Tokens.valid();
        String upgrade = "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n";
        for (String origin :
                new String[] {"own", "https://app.example", "https://APP.example/", "https://evil.example"}) {
            int web = statusOf(port, token, upgrade + "Origin: " + own(origin, port) + "\r\n");
            int loop = statusOf(eventLoop.port(), token, upgrade + "Origin: " + own(origin, eventLoop.port()) + "\r\n");
            assertThat(loop).as(origin).isEqualTo(web);
        }
    }

    /** Behind a load balancer that terminates TLS, the https page it serves is the endpoint's own origin. */
    @Test
    void anHttpsPageBehindATlsLoadBalancerIsItsOwnOrigin() throws IOException {
        String token = Tokens.valid();
        String upgrade = "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n";
        int loop = eventLoop.port();
        String page = "Origin: https://127.0.0.1:" + loop + "\r\n";

        assertThat(statusOf(loop, token, upgrade + page + "X-Forwarded-Proto: https\r\n"))
                .isEqualTo(101);
        assertThat(statusOf(loop, token, upgrade + page)).isEqualTo(403);
    }

    private static String own(String origin, int port) {
        return origin.equals("own") ? "http://127.0.0.1:" + port : origin;
    }

    private static int statusOf(int port, String token, String upgradeHeaders) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            String request = "GET /ws/documents/notes HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                    + "Authorization: Bearer " + token + "\r\n" + upgradeHeaders + "\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            StringBuilder statusLine = new StringBuilder();
            for (int c = socket.getInputStream().read();
                    c != -1 && c != '\r';
                    c = socket.getInputStream().read()) {
                statusLine.append((char) c);
            }
            return Integer.parseInt(statusLine.toString().split(" ")[1]);
        }
    }

    @Test
    void aConnectionThatSendsNoUpgradeRequestIsClosedAfterTheHandshakeTimeout() throws IOException {
        try (Socket idle = new Socket("127.0.0.1", eventLoop.port())) {
            idle.getOutputStream().write("GET /ws/documents/notes HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(closedWithoutAnAnswer(idle)).isTrue();
        }
    }

    @Test
    void aConnectionBeyondMaxConnectionsIsClosedAndTheNextFitsOnceOneLeft() throws IOException {
        // the other tests' connections are gone first
        await().atMost(Duration.ofSeconds(10)).until(() -> eventLoop.connections() == 0);
        List<WsClient> sessions = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                WsClient session = WsClient.connect(
                        eventLoop.port(), "crowded", Tokens.user("u" + i).sign());
                session.await("snapshot");
                sessions.add(session);
            }
            try (Socket extra = new Socket("127.0.0.1", eventLoop.port())) {
                assertThat(closedWithoutAnAnswer(extra)).isTrue();
            }
            sessions.remove(0).close();
            await().atMost(Duration.ofSeconds(10)).until(() -> eventLoop.connections() < 4);
            try (WsClient next = WsClient.connect(eventLoop.port(), "crowded", Tokens.valid())) {
                assertThat(next.await("snapshot").get("docId").asString()).isEqualTo("crowded");
            }
        } finally {
            sessions.forEach(WsClient::close);
        }
    }

    /** True when the server closes the connection within 10 s without answering anything. */
    private static boolean closedWithoutAnAnswer(Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        try {
            return socket.getInputStream().read() == -1;
        } catch (SocketException reset) {
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        }
    }

    /** A masked client frame (RFC 6455, 5.2) of {@code payload[from, to)}. */
    private static void writeFrame(OutputStream out, int opcode, boolean last, byte[] payload, int from, int to)
            throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        int length = to - from;
        frame.write((last ? 0x80 : 0) | opcode);
        frame.write(0x80 | length); // at most 125 bytes here
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        frame.write(mask);
        for (int i = 0; i < length; i++) {
            frame.write(payload[from + i] ^ mask[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }
}
