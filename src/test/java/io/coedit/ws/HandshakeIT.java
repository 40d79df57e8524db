package io.coedit.ws;

import java.io.IOException;
import java.time.Duration;
import jakarta.websocket.Session;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

import io.coedit.CoeditIntegrationTest;
import io.coedit.support.RawHandshake;
import io.coedit.support.Tokens;
import io.coedit.support.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

class HandshakeIT extends CoeditIntegrationTest {

    @Autowired
    private SessionRegistry sessions;

    private RawHandshake upgrade(String path) {
        return RawHandshake.to(port, path);
    }

    @Test
    void rejectsUpgradeWithoutToken() throws IOException {
        assertThat(upgrade("/ws/documents/notes").status()).isEqualTo(401);
    }

    @Test
    void rejectsTokenWithBadSignature() throws IOException {
        String forged = Tokens.user("mallory")
                .signedWith("another-secret-of-at-least-32-bytes!!")
                .sign();
        assertThat(upgrade("/ws/documents/notes").bearer(forged).status()).isEqualTo(401);
    }

    @Test
    void rejectsUnsignedToken() throws IOException {
        assertThat(upgrade("/ws/documents/notes")
                        .bearer(Tokens.user("mallory").unsigned())
                        .status())
                .isEqualTo(401);
    }

    @Test
    void rejectsTokenSignedWithAnotherAlgorithm() throws IOException {
        assertThat(upgrade("/ws/documents/notes")
                        .bearer(Tokens.user("mallory").signedRs256())
                        .status())
                .isEqualTo(401);
    }

    @Test
    void rejectsTokenExpiredBeyondClockSkew() throws IOException {
        String expired = Tokens.user("alice").expiresIn(Duration.ofMinutes(-5)).sign();
        assertThat(upgrade("/ws/documents/notes").bearer(expired).status()).isEqualTo(401);
    }

    @Test
    void acceptsTokenExpiredWithinClockSkew() throws IOException {
        String justExpired =
                Tokens.user("alice").expiresIn(Duration.ofSeconds(-5)).sign();
        assertThat(upgrade("/ws/documents/notes").bearer(justExpired).status()).isEqualTo(101);
    }

    @Test
    void rejectsTokenFromAnotherIssuer() throws IOException {
        assertThat(upgrade("/ws/documents/notes")
                        .bearer(Tokens.user("alice").issuer("evil").sign())
                        .status())
                .isEqualTo(401);
    }

    @Test
    void rejectsTokenForAnotherAudience() throws IOException {
        assertThat(upgrade("/ws/documents/notes")
                        .bearer(Tokens.user("alice").audience("other").sign())
                        .status())
                .isEqualTo(401);
    }

    @Test
    void rejectsTokenNotCoveringTheDocument() throws IOException {
        String token = Tokens.user("alice").docs("other-doc").sign();
        assertThat(upgrade("/ws/documents/notes").bearer(token).status()).isEqualTo(403);
    }

    @Test
    void rejectsTokenWithoutDocumentScopes() throws IOException {
        String token = Tokens.user("alice").scope("events:publish").sign();
        assertThat(upgrade("/ws/documents/notes").bearer(token).status()).isEqualTo(403);
    }

    @Test
    void rejectsInvalidDocumentId() throws IOException {
        assertThat(upgrade("/ws/documents/bad%20id!").bearer(Tokens.valid()).status())
                .isEqualTo(400);
        assertThat(upgrade("/ws/documents/" + "a".repeat(129))
                        .bearer(Tokens.valid())
                        .status())
                .isEqualTo(400);
    }

    @Test
    void rejectsForeignOrigin() throws IOException {
        assertThat(upgrade("/ws/documents/notes")
                        .bearer(Tokens.valid())
                        .header("Origin", "https://evil.example")
                        .status())
                .isEqualTo(403);
    }

    @Test
    void acceptsSameOrigin() throws IOException {
        assertThat(upgrade("/ws/documents/notes")
                        .bearer(Tokens.valid())
                        .header("Origin", "http://127.0.0.1:" + port)
                        .status())
                .isEqualTo(101);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/ws/documents/notes/",
                "/ws/documents/notes;jsessionid=1",
                "/ws/documents/a%2Fb",
                "/WS/DOCUMENTS/notes",
                "/ws/documents/%2e%2e",
                "/ws//documents/notes",
                "/ws/documents/./notes"
            })
    void neverUpgradesPathVariantsWithoutToken(String path) throws IOException {
        assertThat(upgrade(path).status()).isNotEqualTo(101).isBetween(400, 499);
    }

    @Test
    void answersTheBrowserSubprotocolWithoutEchoingTheToken() throws IOException {
        RawHandshake.Response response = upgrade("/ws/documents/notes")
                .header("Sec-WebSocket-Protocol", "coedit.v1, bearer." + Tokens.valid())
                .send();
        assertThat(response.status()).isEqualTo(101);
        assertThat(response.headers().get("sec-websocket-protocol")).isEqualTo("coedit.v1");
    }

    @Test
    void declinesPermessageDeflateWhichBrowsersOfferBecauseEachSessionWouldHoldAZlibDeflaterAndInflater()
            throws IOException {
        RawHandshake.Response response = upgrade("/ws/documents/notes")
                .header("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits")
                .header("Sec-WebSocket-Protocol", "coedit.v1, bearer." + Tokens.valid())
                .send();
        assertThat(response.status()).isEqualTo(101);
        assertThat(response.headers()).doesNotContainKey("sec-websocket-extensions");
    }

    @Test
    void opensSessionWithSubprotocolToken() {
        try (WsClient client = WsClient.connectWithSubprotocol(port, "subprotocol-doc", Tokens.valid())) {
            assertThat(client.subprotocol()).isEqualTo("coedit.v1");
            assertThat(client.await("snapshot").get("docId").asString()).isEqualTo("subprotocol-doc");
        }
    }

    @Test
    void anOpenSessionKeepsNeitherTheTokenNorTheHandshakeHeaders() {
        String token = Tokens.user("slim").sign();
        for (boolean subprotocol : new boolean[] {true, false}) {
            String doc = "slim-" + subprotocol;
            try (WsClient client = subprotocol
                    ? WsClient.connectWithSubprotocol(port, doc, token)
                    : WsClient.connect(port, doc, token)) {
                client.await("snapshot");
                CollabSession session = sessions.all().stream()
                        .filter(s -> s.documentId().value().equals(doc))
                        .findFirst()
                        .orElseThrow();
                WebSocketSession raw = ((SocketFrameSink) session.frames()).socket();
                // checked during the handshake; an idle session would otherwise pay for them all its life
                assertThat(raw.getHandshakeHeaders().isEmpty()).isTrue();
                if (subprotocol) {
                    assertThat(raw.getAcceptedProtocol()).isEqualTo("coedit.v1");
                }
                assertThat(raw.getPrincipal().getName()).isEqualTo("slim");
                assertThat(raw.getPrincipal().toString()).doesNotContain(token);
                Session tomcat = ((NativeWebSocketSession) raw).getNativeSession(Session.class);
                assertThat(tomcat.getUserPrincipal().toString()).doesNotContain(token);
                assertThat(session.user().id()).isEqualTo("slim");
            }
        }
    }

    @Test
    void refusesAQueryTokenByDefaultBecauseItEndsUpInAccessLogs() throws IOException {
        assertThat(upgrade("/ws/documents/query-doc?access_token=" + Tokens.valid())
                        .status())
                .isEqualTo(401);
    }

    @Test
    void firstMessageIsTheSnapshotWithUserAndLimits() {
        try (WsClient client =
                WsClient.connect(port, "fresh-doc", Tokens.user("bob").sign())) {
            var snapshot = client.next();
            assertThat(snapshot.get("type").asString()).isEqualTo("snapshot");
            assertThat(snapshot.get("rev").asLong()).isZero();
            assertThat(snapshot.get("content").asString()).isEmpty();
            assertThat(snapshot.get("epoch").asString()).isNotBlank();
            assertThat(snapshot.get("clientId").asString()).isNotBlank();
            assertThat(snapshot.get("user").get("id").asString()).isEqualTo("bob");
            assertThat(snapshot.get("user").get("name").asString()).isEqualTo("Bob");
            assertThat(snapshot.get("canEdit").asBoolean()).isTrue();
            assertThat(snapshot.get("limits").get("maxMessageBytes").asLong()).isEqualTo(1024 * 1024);
        }
    }
}
