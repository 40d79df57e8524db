package io.coedit.ws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.coedit.support.RestClient;
import io.coedit.support.Tokens;
import io.coedit.support.WsClient;
import io.coedit.system.CoeditExecutors.SessionCloser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the audit found, tried from outside as an attacker (or an unlucky network) would, against a server with small
 * limits so that each one is reached quickly.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "coedit.security.jwt.secret=" + Tokens.SECRET,
            "coedit.documents.retained-ops=3",
            "coedit.documents.op-id-max=5",
            "coedit.documents.max-op-components=1000",
            "coedit.ws.max-message-size=16KB",
            "coedit.ws.max-sessions-per-user=3",
            "coedit.ws.partial-message-timeout=1s",
            "coedit.ws.rate-limit.messages-per-second=10000",
            "coedit.ws.rate-limit.burst=10000"
        })
class DataSafetyIT {

    @LocalServerPort
    int webServerPort;

    /** Where sessions open: the web server's port here, the event loop's in {@link EventLoopDataSafetyIT}. */
    int port;

    @BeforeEach
    void sessionsOnTheWebServer() {
        port = webServerPort;
    }

    private static Map<String, Object> insertAt(long rev, int at, String text, String id) {
        return Map.of("type", "op", "rev", rev, "op", at == 0 ? List.of(text) : List.of(at, text), "id", id);
    }

    private String contentOf(String doc) {
        return RestClient.document(webServerPort, doc).get("content").asString();
    }

    @Test
    void anotherUserReusingMyOpIdCannotSwallowMyEdit() {
        String doc = "spoofed-id";
        try (WsClient alice = WsClient.connect(port, doc, Tokens.user("alice").sign());
                WsClient mallory =
                        WsClient.connect(port, doc, Tokens.user("mallory").sign())) {
            String clientId = alice.await("snapshot").get("clientId").asString();
            mallory.await("snapshot");
            // Mallory sees Alice's clientId in presence and sends an op under Alice's next id first
            mallory.send(insertAt(0, 0, "M", clientId + ":1"));
            assertThat(mallory.await("ack").get("rev").asLong()).isEqualTo(1);
            alice.await("op");
            alice.send(insertAt(1, 1, "A", clientId + ":1"));
            JsonNode ack = alice.await("ack");
            assertThat(ack.get("rev").asLong()).isEqualTo(2);
        }
        assertThat(contentOf(doc)).isEqualTo("MA");
    }

    @Test
    void anOpWithTooManyComponentsIsRefusedAsTooLargeBeforeAnyWork() {
        String doc = "many-components";
        try (WsClient client = WsClient.connect(port, doc, Tokens.valid())) {
            client.await("snapshot");
            StringBuilder op = new StringBuilder("[");
            for (int i = 0; i < 1500; i++) {
                op.append(i == 0 ? "" : ",").append("\"a\"");
            }
            op.append("]");
            client.send("{\"type\":\"op\",\"rev\":0,\"op\":" + op + ",\"id\":\"c:1\"}");
            JsonNode error = client.await("error");
            assertThat(error.get("code").asString()).isEqualTo("too_large");
            assertThat(error.get("id").asString()).isEqualTo("c:1");
            // within the limit, adjacent inserts are joined into one
            client.send(insertAt(0, 0, "ok", "c:2"));
            assertThat(client.await("ack").get("rev").asLong()).isEqualTo(1);
        }
    }

    @Test
    void aResubmissionTheServerCannotPlaceIsAnUnknownOutcomeAndIsNotAppliedAgain() {
        String doc = "lost-ack";
        try (WsClient client = WsClient.connect(port, doc, Tokens.valid())) {
            client.await("snapshot");
            String text = "";
            for (int i = 1; i <= 10; i++) {
                client.send(insertAt(i - 1, text.length(), "x", "w:" + i));
                assertThat(client.await("ack").get("rev").asLong()).isEqualTo(i);
                text += "x";
            }
            // the log keeps 3 ops (8..10) and the ids of 5 (6..10): w:7's ack is answered again from the ids
            client.send(insertAt(6, 6, "x", "w:7"));
            assertThat(client.await("ack").get("rev").asLong()).isEqualTo(7);
            // w:2's id is forgotten and its base long gone: nobody can say whether it was applied
            client.send(insertAt(1, 1, "x", "w:2"));
            JsonNode unknown = client.await("error");
            assertThat(unknown.get("code").asString()).isEqualTo("outcome_unknown");
            assertThat(unknown.get("id").asString()).isEqualTo("w:2");
            // a new op on a base whose later ids are all kept was surely never applied: a plain resync
            client.send(insertAt(5, 5, "y", "n:1"));
            assertThat(client.await("error").get("code").asString()).isEqualTo("resync_required");
        }
        assertThat(contentOf(doc)).isEqualTo("x".repeat(10));
    }

    @Test
    void framesAfterAnOversizedMessageAreNeverReadAsANewMessage() {
        String doc = "oversized";
        try (WsClient client = WsClient.connect(port, doc, Tokens.valid())) {
            client.await("snapshot");
            client.sendPart("x".repeat(24 * 1024), false);
            // the server may close before this frame goes out; when it does go out, it must not become a message
            client.sendPartUnlessClosed("{\"type\":\"op\",\"rev\":0,\"op\":[\"smuggled\"],\"id\":\"s:1\"}", true);
            assertThat(client.awaitClose()).isEqualTo(1009);
        }
        try (WsClient reader = WsClient.connect(port, doc, Tokens.valid())) {
            assertThat(reader.await("snapshot").get("content").asString()).isEmpty();
        }
    }

    @Test
    void aFragmentedMessageLeftUnfinishedIsDroppedWithItsSession() {
        try (WsClient client = WsClient.connect(port, "unfinished", Tokens.valid())) {
            client.await("snapshot");
            client.sendPart("{\"type\":\"op\",", false);
            // the client keeps answering pings, but the half message is not held for ever
            assertThat(client.awaitClose()).isEqualTo(1008);
        }
    }

    @Autowired
    @SessionCloser
    ExecutorService closer;

    @Test
    void sessionsAreClosedByABoundedNumberOfThreads() {
        assertThat(closer)
                .isInstanceOfSatisfying(
                        ThreadPoolExecutor.class,
                        pool -> assertThat(pool.getMaximumPoolSize()).isEqualTo(8));
    }

    @Test
    void oneUserHoldsAtMostTheConfiguredNumberOfSessions() {
        List<WsClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                WsClient client = WsClient.connect(
                        port, "tabs-" + i, Tokens.user("many-tabs").sign());
                client.await("snapshot");
                open.add(client);
            }
            WsClient fourth =
                    WsClient.connect(port, "tabs-3", Tokens.user("many-tabs").sign());
            open.add(fourth);
            assertThat(fourth.awaitClose()).isEqualTo(4429);
            // someone else is not affected, and a closed tab frees its place
            try (WsClient other =
                    WsClient.connect(port, "tabs-0", Tokens.user("someone-else").sign())) {
                other.await("snapshot");
            }
            open.get(0).close();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                try (WsClient again = WsClient.connect(
                        port, "tabs-4", Tokens.user("many-tabs").sign())) {
                    assertThat(again.await("snapshot").get("rev").asLong()).isZero();
                }
            });
        } finally {
            open.forEach(WsClient::close);
        }
    }
}
