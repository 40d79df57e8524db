package io.coedit.ws;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.coedit.CoeditIntegrationTest;
import io.coedit.support.OpMessages;
import io.coedit.support.Tokens;
import io.coedit.support.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad frames get their error code, the session and the document survive, and other sessions never notice. */
class BadInputIT extends CoeditIntegrationTest {

    private WsClient openWithText(String doc, String text) {
        WsClient client = WsClient.connect(port, doc, Tokens.valid());
        client.await("snapshot");
        client.send(Map.of("type", "op", "rev", 0, "op", List.of(text), "id", "seed:1"));
        client.await("ack");
        return client;
    }

    private String contentOf(String doc) {
        try (WsClient reader = WsClient.connect(port, doc, Tokens.valid())) {
            return reader.await("snapshot").get("content").asString();
        }
    }

    private String errorCodeFor(WsClient client, String frame) {
        client.send(frame);
        return client.await("error").get("code").asString();
    }

    @Test
    void malformedJsonGetsBadMessage() {
        try (WsClient client = openWithText("bad-json", "intact")) {
            assertThat(errorCodeFor(client, "{not json")).isEqualTo("bad_message");
            assertThat(errorCodeFor(client, "[1,2]")).isEqualTo("bad_message");
            assertThat(errorCodeFor(client, "{\"type\":\"teleport\"}")).isEqualTo("bad_message");
            assertThat(errorCodeFor(client, "{\"type\":\"op\",\"rev\":1,\"op\":[1]}"))
                    .isEqualTo("bad_message");
            assertThat(errorCodeFor(client, "{\"type\":\"op\",\"rev\":\"one\",\"op\":[1],\"id\":\"x:1\"}"))
                    .isEqualTo("bad_message");
            assertThat(client.isClosed()).isFalse();
        }
        assertThat(contentOf("bad-json")).isEqualTo("intact");
    }

    @Test
    void operationsThatDoNotFitGetInvalidOpWithTheirReason() {
        Map<String, String> reasons = new LinkedHashMap<>();
        reasons.put("[100]", "BASE_LENGTH_MISMATCH");
        reasons.put("[0]", "ZERO_LENGTH_COMPONENT");
        reasons.put("[\"\"]", "ZERO_LENGTH_COMPONENT");
        reasons.put("[true]", "WRONG_COMPONENT_TYPE");
        reasons.put("[1.5, 5]", "WRONG_COMPONENT_TYPE");
        reasons.put("[[1]]", "WRONG_COMPONENT_TYPE");
        reasons.put("[-100]", "BASE_LENGTH_MISMATCH");
        reasons.put("[6, null]", "WRONG_COMPONENT_TYPE");
        try (WsClient client = openWithText("misfit", "intact")) {
            reasons.forEach((op, reason) -> {
                client.send("{\"type\":\"op\",\"rev\":1,\"op\":" + op + ",\"id\":\"m:1\"}");
                JsonNode error = client.await("error");
                assertThat(error.get("code").asString()).as(op).isEqualTo("invalid_op");
                assertThat(error.get("reason").asString()).as(op).isEqualTo(reason);
                assertThat(error.get("id").asString()).isEqualTo("m:1");
            });
        }
        assertThat(contentOf("misfit")).isEqualTo("intact");
    }

    @Test
    void futureRevisionGetsStaleRevision() {
        try (WsClient client = openWithText("future", "intact")) {
            assertThat(errorCodeFor(client, "{\"type\":\"op\",\"rev\":5,\"op\":[6,\"!\"],\"id\":\"f:1\"}"))
                    .isEqualTo("stale_revision");
        }
        assertThat(contentOf("future")).isEqualTo("intact");
    }

    @Test
    void oversizedMessageClosesWith1009AndLosesNothing() {
        try (WsClient other = openWithText("oversized", "intact");
                WsClient client = WsClient.connect(port, "oversized", Tokens.valid())) {
            client.await("snapshot");
            String huge = "x".repeat(1024 * 1024 + 10);
            client.send("{\"type\":\"op\",\"rev\":1,\"op\":[6,\"" + huge + "\"],\"id\":\"h:1\"}");
            assertThat(client.awaitClose()).isEqualTo(1009);
            other.send(Map.of("type", "op", "rev", 1, "op", List.of(6, "!"), "id", "o:2"));
            assertThat(other.await("ack").get("rev").asLong()).isEqualTo(2);
        }
        assertThat(contentOf("oversized")).isEqualTo("intact!");
    }

    @Test
    void messageLargerThanTheFrameBufferIsStillAccepted() {
        String big = "y".repeat(100_000);
        try (WsClient client = WsClient.connect(port, "big-but-allowed", Tokens.valid())) {
            client.await("snapshot");
            client.send(Map.of("type", "op", "rev", 0, "op", List.of(big), "id", "b:1"));
            assertThat(client.await("ack").get("rev").asLong()).isEqualTo(1);
        }
        assertThat(contentOf("big-but-allowed")).isEqualTo(big);
    }

    @Test
    void binaryFrameClosesWith1003() {
        try (WsClient client = WsClient.connect(port, "binary", Tokens.valid())) {
            client.await("snapshot");
            client.sendBinary(new byte[] {1, 2, 3});
            assertThat(client.awaitClose()).isEqualTo(1003);
        }
    }

    @Test
    void aBinaryMessageFarLargerThanItsBufferAlsoClosesWith1003AndOthersGoOn() {
        try (WsClient client = WsClient.connect(port, "binary-large", Tokens.valid());
                WsClient other = WsClient.connect(
                        port, "binary-large", Tokens.user("bob").sign())) {
            client.await("snapshot");
            other.await("snapshot");
            client.sendBinary(new byte[256 * 1024]);
            assertThat(client.awaitClose()).isEqualTo(1003);
            other.send(OpMessages.insertAtEnd(0, 0, "still fine", "b:1"));
            assertThat(other.await("ack").get("rev").asLong()).isEqualTo(1);
        }
    }

    @Test
    void expiredTokenClosesTheSessionWith4401() {
        String shortLived =
                Tokens.user("alice").expiresIn(Duration.ofSeconds(2)).sign();
        try (WsClient client = WsClient.connect(port, "expiring", shortLived)) {
            client.await("snapshot");
            assertThat(client.awaitClose()).isEqualTo(4401);
        }
    }

    @Test
    void refreshedTokenKeepsTheSessionOpenPastTheOldExpiry() throws InterruptedException {
        String shortLived =
                Tokens.user("alice").expiresIn(Duration.ofSeconds(2)).sign();
        try (WsClient client = WsClient.connect(port, "refreshed", shortLived)) {
            client.await("snapshot");
            client.send(Map.of("type", "auth", "token", Tokens.user("alice").sign()));
            Thread.sleep(3500);
            assertThat(client.isClosed()).isFalse();
            client.send(Map.of("type", "op", "rev", 0, "op", List.of("still here"), "id", "r:1"));
            assertThat(client.await("ack").get("rev").asLong()).isEqualTo(1);
        }
    }

    @Test
    void refreshForAnotherUserIsRefused() {
        try (WsClient client =
                WsClient.connect(port, "hijack", Tokens.user("alice").sign())) {
            client.await("snapshot");
            assertThat(errorCodeFor(
                            client,
                            WsClient.JSON.writeValueAsString(Map.of(
                                    "type",
                                    "auth",
                                    "token",
                                    Tokens.user("mallory").sign()))))
                    .isEqualTo("forbidden");
        }
    }

    @Test
    void invalidRefreshTokenClosesWith4401() {
        try (WsClient client = WsClient.connect(port, "bad-refresh", Tokens.valid())) {
            client.await("snapshot");
            client.send(Map.of("type", "auth", "token", Tokens.user("alice").unsigned()));
            assertThat(client.awaitClose()).isEqualTo(4401);
        }
    }
}
