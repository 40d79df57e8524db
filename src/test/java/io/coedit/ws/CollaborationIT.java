package io.coedit.ws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.coedit.CoeditIntegrationTest;
import io.coedit.ot.TextOperation;
import io.coedit.support.OtClient;
import io.coedit.support.RandomEdits;
import io.coedit.support.Tokens;
import io.coedit.support.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

class CollaborationIT extends CoeditIntegrationTest {

    @Test
    void concurrentClientsConvergeToTheServerContent() throws Exception {
        long seed = System.nanoTime();
        RandomEdits random = new RandomEdits(seed);
        String doc = "converge-" + seed;
        List<OtClient> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            clients.add(OtClient.open(port, doc, Tokens.user("user" + i).sign(), "c" + i));
        }
        try {
            int edits = 0;
            for (int step = 0; step < 600; step++) {
                OtClient client = clients.get(random.nextInt(clients.size()));
                if (random.nextInt(3) == 0) {
                    client.pump();
                } else {
                    client.edit(random.smallEdit(client.text()));
                    edits++;
                }
            }
            for (OtClient client : clients) {
                client.settle();
            }
            for (OtClient client : clients) {
                client.settle();
            }
            try (WsClient observer = WsClient.connect(port, doc, Tokens.valid())) {
                JsonNode snapshot = observer.await("snapshot");
                String serverText = snapshot.get("content").asString();
                for (OtClient client : clients) {
                    assertThat(client.errors()).as("seed %d", seed).isEmpty();
                    assertThat(client.text()).as("seed %d", seed).isEqualTo(serverText);
                    assertThat(client.rev())
                            .as("seed %d", seed)
                            .isEqualTo(snapshot.get("rev").asLong());
                }
                assertThat(snapshot.get("rev").asLong())
                        .as("seed %d", seed)
                        .isPositive()
                        .isLessThanOrEqualTo(edits);
            }
        } finally {
            clients.forEach(OtClient::close);
        }
    }

    @Test
    void broadcastsAcceptedOpsToOthersAndAcksTheAuthor() {
        try (WsClient alice =
                        WsClient.connect(port, "relay", Tokens.user("alice").sign());
                WsClient bob =
                        WsClient.connect(port, "relay", Tokens.user("bob").sign())) {
            alice.await("snapshot");
            bob.await("snapshot");
            alice.send(Map.of("type", "op", "rev", 0, "op", List.of("hello"), "id", "a:1"));
            JsonNode ack = alice.await("ack");
            assertThat(ack.get("rev").asLong()).isEqualTo(1);
            assertThat(ack.get("id").asString()).isEqualTo("a:1");
            JsonNode op = bob.await("op");
            assertThat(op.get("rev").asLong()).isEqualTo(1);
            assertThat(op.get("id").asString()).isEqualTo("a:1");
            assertThat(op.get("op").get(0).asString()).isEqualTo("hello");
            assertThat(op.get("user").get("id").asString()).isEqualTo("alice");
        }
    }

    @Test
    void transformsAnOpWrittenAgainstAnOlderRevision() {
        try (WsClient alice = WsClient.connect(port, "stale-base", Tokens.valid())) {
            alice.await("snapshot");
            alice.send(Map.of("type", "op", "rev", 0, "op", List.of("world"), "id", "a:1"));
            alice.await("ack");
            alice.send(Map.of("type", "op", "rev", 0, "op", List.of("hello "), "id", "b:1"));
            assertThat(alice.await("ack").get("rev").asLong()).isEqualTo(2);
        }
        try (WsClient reader = WsClient.connect(port, "stale-base", Tokens.valid())) {
            // as in ot.js, the incoming op goes first on a tie at position 0
            assertThat(reader.await("snapshot").get("content").asString()).isEqualTo("hello world");
        }
    }

    @Test
    void resubmittedOpIsAppliedOnceAndAckedWithItsOriginalRevision() {
        try (WsClient alice = WsClient.connect(port, "idempotent", Tokens.valid())) {
            alice.await("snapshot");
            Map<String, Object> op = Map.of("type", "op", "rev", 0, "op", List.of("once"), "id", "tab1:7");
            alice.send(op);
            assertThat(alice.await("ack").get("rev").asLong()).isEqualTo(1);
            alice.send(op);
            JsonNode again = alice.await("ack");
            assertThat(again.get("rev").asLong()).isEqualTo(1);
            assertThat(again.get("id").asString()).isEqualTo("tab1:7");
        }
        try (WsClient reconnected = WsClient.connect(port, "idempotent", Tokens.valid())) {
            reconnected.await("snapshot");
            reconnected.send(Map.of("type", "op", "rev", 0, "op", List.of("once"), "id", "tab1:7"));
            assertThat(reconnected.await("ack").get("rev").asLong()).isEqualTo(1);
            JsonNode snapshot =
                    WsClient.connect(port, "idempotent", Tokens.valid()).await("snapshot");
            assertThat(snapshot.get("content").asString()).isEqualTo("once");
            assertThat(snapshot.get("rev").asLong()).isEqualTo(1);
        }
    }

    @Test
    void syncSendsTheOpsAClientMissed() {
        String epoch;
        try (WsClient alice = WsClient.connect(port, "catch-up", Tokens.valid())) {
            epoch = alice.await("snapshot").get("epoch").asString();
            for (int i = 1; i <= 3; i++) {
                alice.send(Map.of(
                        "type", "op", "rev", i - 1, "op", i == 1 ? List.of("x") : List.of(i - 1, "x"), "id", "a:" + i));
                alice.await("ack");
            }
        }
        try (WsClient bob = WsClient.connect(port, "catch-up", Tokens.valid())) {
            bob.await("snapshot");
            bob.send(Map.of("type", "sync", "rev", 1, "epoch", epoch));
            assertThat(bob.await("op").get("rev").asLong()).isEqualTo(2);
            assertThat(bob.await("op").get("rev").asLong()).isEqualTo(3);
            bob.send(Map.of("type", "sync", "rev", 1, "epoch", "another-epoch"));
            JsonNode fresh = bob.await("snapshot");
            assertThat(fresh.get("rev").asLong()).isEqualTo(3);
            assertThat(fresh.get("content").asString()).isEqualTo("xxx");
        }
    }

    @Test
    void announcesPresenceAndRelaysCursors() {
        try (WsClient alice =
                WsClient.connect(port, "presence", Tokens.user("alice").sign())) {
            alice.await("snapshot");
            JsonNode alone = alice.await("presence");
            assertThat(alone.get("members")).hasSize(1);
            try (WsClient bob =
                    WsClient.connect(port, "presence", Tokens.user("bob").sign())) {
                String bobClient = bob.await("snapshot").get("clientId").asString();
                assertThat(bob.await("presence").get("members")).hasSize(2);
                JsonNode joined = alice.await("join");
                assertThat(joined.get("clientId").asString()).isEqualTo(bobClient);
                assertThat(joined.get("user").get("name").asString()).isEqualTo("Bob");
                bob.send(Map.of("type", "cursor", "pos", 0, "sel", List.of(0, 0)));
                JsonNode cursor = alice.await("cursor");
                assertThat(cursor.get("clientId").asString()).isEqualTo(bobClient);
                assertThat(cursor.get("user").get("id").asString()).isEqualTo("bob");
                assertThat(cursor.get("pos").asInt()).isZero();
            }
            JsonNode left = alice.await("leave");
            assertThat(left.get("user").get("id").asString()).isEqualTo("bob");
        }
    }

    @Test
    void readOnlyUserGetsForbiddenAndStaysConnected() {
        String reader = Tokens.user("reader").scope("doc:read").sign();
        try (WsClient client = WsClient.connect(port, "read-only", reader)) {
            assertThat(client.await("snapshot").get("canEdit").asBoolean()).isFalse();
            client.send(Map.of("type", "op", "rev", 0, "op", List.of("nope"), "id", "r:1"));
            JsonNode error = client.await("error");
            assertThat(error.get("code").asString()).isEqualTo("forbidden");
            assertThat(error.get("id").asString()).isEqualTo("r:1");
            client.send(Map.of("type", "cursor", "pos", 0));
            assertThat(client.isClosed()).isFalse();
        }
        try (WsClient check = WsClient.connect(port, "read-only", Tokens.valid())) {
            assertThat(check.await("snapshot").get("rev").asLong()).isZero();
        }
    }

    @Test
    void editsWithEmojiKeepSurrogatePairsWhole() {
        try (WsClient alice = WsClient.connect(port, "emoji", Tokens.valid())) {
            alice.await("snapshot");
            alice.send(Map.of("type", "op", "rev", 0, "op", List.of("a😀b"), "id", "e:1"));
            alice.await("ack");
            alice.send(Map.of("type", "op", "rev", 1, "op", List.of(2, -1, 1), "id", "e:2"));
            JsonNode error = alice.await("error");
            assertThat(error.get("code").asString()).isEqualTo("invalid_op");
            assertThat(error.get("reason").asString()).isEqualTo("SPLITS_SURROGATE_PAIR");
            alice.send(Map.of("type", "op", "rev", 1, "op", List.of(1, -2, 1), "id", "e:3"));
            assertThat(alice.await("ack").get("rev").asLong()).isEqualTo(2);
        }
        try (WsClient reader = WsClient.connect(port, "emoji", Tokens.valid())) {
            assertThat(reader.await("snapshot").get("content").asString()).isEqualTo("ab");
        }
    }

    static TextOperation insertAt(int length, int pos, String text) {
        return TextOperation.builder()
                .retain(pos)
                .insert(text)
                .retain(length - pos)
                .build();
    }
}
