package io.coedit.ws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import io.coedit.support.RestClient;
import io.coedit.support.Tokens;
import io.coedit.support.WsClient;
import io.coedit.system.CoeditExecutors.SessionReads;

import static io.coedit.support.OpMessages.insertAtEnd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Joins and syncs read the store off the request threads; whatever a client sends meanwhile waits and is carried out
 * after them, in order. The read threads are gated here, so a test decides when a join or sync may run.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"coedit.security.jwt.secret=" + Tokens.SECRET})
class HeldMessagesIT {

    @LocalServerPort
    int port;

    @Autowired
    GatedReads reads;

    @Autowired
    CollabWebSocketHandler handler;

    /** Sends the messages, and waits until the server holds all of them (their bytes count against its budget). */
    private void sendHeld(WsClient client, Object... messages) {
        long bytes = handler.partialMessageBytes();
        for (Object message : messages) {
            String json = WsClient.JSON.writeValueAsString(message);
            client.send(json);
            bytes += 2L * json.length();
        }
        long expected = bytes;
        await().atMost(Duration.ofSeconds(10)).until(() -> handler.partialMessageBytes() == expected);
    }

    @AfterEach
    void openGate() {
        reads.open();
    }

    @Test
    void messagesSentBeforeTheSnapshotAreCarriedOutAfterItInOrder() {
        String doc = "held-before-join";
        reads.close();
        try (WsClient client = WsClient.connect(port, doc, Tokens.valid())) {
            sendHeld(
                    client,
                    insertAtEnd(0, 0, "a", "early:1"),
                    Map.of("type", "cursor", "pos", 1),
                    insertAtEnd(1, 1, "b", "early:2"));
            reads.open();
            assertThat(client.next().get("type").asString()).isEqualTo("snapshot");
            assertThat(client.await("ack").get("rev").asLong()).isEqualTo(1);
            JsonNode second = client.await("ack");
            assertThat(second.get("rev").asLong()).isEqualTo(2);
            assertThat(second.get("id").asString()).isEqualTo("early:2");
        }
        assertThat(RestClient.document(port, doc).get("content").asString()).isEqualTo("ab");
    }

    @Test
    void anOpSentRightAfterASyncIsAnsweredAfterTheSync() {
        String doc = "held-behind-sync";
        try (WsClient writer = WsClient.connect(port, doc, Tokens.user("writer").sign());
                WsClient reconnected =
                        WsClient.connect(port, doc, Tokens.user("reconnected").sign())) {
            writer.await("snapshot");
            String epoch = reconnected.await("snapshot").get("epoch").asString();
            writer.send(insertAtEnd(0, 0, "x", "w:1"));
            writer.await("ack");
            writer.send(insertAtEnd(1, 1, "y", "w:2"));
            writer.await("ack");
            reconnected.await(
                    m -> "op".equals(m.path("type").asString()) && m.get("rev").asLong() == 2);
            reads.close();
            reconnected.send(Map.of("type", "sync", "rev", 0, "epoch", epoch));
            sendHeld(reconnected, insertAtEnd(2, 2, "z", "r:1"));
            reads.open();
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                JsonNode message = reconnected.await(m -> m.has("rev"));
                answers.add(message.get("type").asString() + " "
                        + message.get("rev").asLong());
            }
            assertThat(answers).containsExactly("op 1", "op 2", "ack 3");
        }
        assertThat(RestClient.document(port, doc).get("content").asString()).isEqualTo("xyz");
    }

    @Test
    void aClientFloodingItsJoinIsClosedTryAgainLaterAndNothingItSentIsApplied() {
        String doc = "held-flood";
        reads.close();
        try (WsClient client = WsClient.connect(port, doc, Tokens.valid())) {
            for (int i = 0; i <= SessionInbox.MAX_HELD; i++) {
                client.send(insertAtEnd(0, 0, "a", "flood:" + i));
            }
            assertThat(client.awaitClose()).isEqualTo(1013);
        }
        reads.open();
        try (WsClient observer = WsClient.connect(port, doc, Tokens.valid())) {
            assertThat(observer.await("snapshot").get("rev").asLong()).isZero();
        }
    }

    /** The read threads, behind a gate the tests open and close; closed, tasks wait in order. */
    static final class GatedReads implements Executor {
        private final ExecutorService threads = Executors.newFixedThreadPool(2);
        private final List<Runnable> waiting = new ArrayList<>();
        private boolean closed;

        @Override
        public synchronized void execute(Runnable task) {
            if (closed) {
                waiting.add(task);
            } else {
                threads.execute(task);
            }
        }

        synchronized void close() {
            closed = true;
        }

        synchronized void open() {
            closed = false;
            waiting.forEach(threads::execute);
            waiting.clear();
        }
    }

    @TestConfiguration
    static class Gate {
        @Bean
        @Primary
        @SessionReads
        GatedReads gatedReads() {
            return new GatedReads();
        }
    }
}
