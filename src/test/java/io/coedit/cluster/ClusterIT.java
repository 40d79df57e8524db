package io.coedit.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import io.coedit.support.ClusterInstances;
import io.coedit.support.EmbeddedRedis;
import io.coedit.support.OtClient;
import io.coedit.support.RandomEdits;
import io.coedit.support.RestClient;
import io.coedit.support.Tokens;
import io.coedit.support.WsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Three whole instances on one real Redis: clients on different instances edit one document together. */
class ClusterIT {

    private static EmbeddedRedis redis;
    private static ClusterInstances instances;

    @BeforeAll
    static void startCluster() {
        redis = EmbeddedRedis.start();
        instances = new ClusterInstances(redis);
        for (int i = 0; i < 3; i++) {
            instances.start();
        }
    }

    @AfterAll
    static void stopCluster() {
        if (instances != null) {
            instances.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static int port(int instance) {
        return instances.port(instance);
    }

    private static JsonNode snapshotOf(int instance, String doc) {
        try (WsClient reader =
                WsClient.connect(port(instance), doc, Tokens.user("reader").sign())) {
            return reader.await("snapshot");
        }
    }

    @Test
    void clientsOnThreeInstancesConvergeAndEveryAckedOpIsInTheLogOnce() throws Exception {
        long seed = System.nanoTime();
        RandomEdits random = new RandomEdits(seed);
        String doc = "cluster-converge-" + seed;
        List<OtClient> clients = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            clients.add(OtClient.open(port(i % 3), doc, Tokens.user("user" + i).sign(), "c" + i));
        }
        try {
            for (int step = 0; step < 500; step++) {
                OtClient client = clients.get(random.nextInt(clients.size()));
                if (random.nextInt(3) == 0) {
                    client.pump();
                } else {
                    client.edit(random.smallEdit(client.text()));
                }
            }
            for (int round = 0; round < 2; round++) {
                for (OtClient client : clients) {
                    client.settle();
                }
            }
            JsonNode snapshot = snapshotOf(1, doc);
            for (OtClient client : clients) {
                assertThat(client.errors()).as("seed %d", seed).isEmpty();
                assertThat(client.text())
                        .as("seed %d", seed)
                        .isEqualTo(snapshot.get("content").asString());
                assertThat(client.rev())
                        .as("seed %d", seed)
                        .isEqualTo(snapshot.get("rev").asLong());
            }
            List<String> ids = new ArrayList<>();
            long rev = snapshot.get("rev").asLong();
            JsonNode ops = RestClient.ops(port(2), doc, 0);
            ops.get("ops").forEach(op -> ids.add(op.get("id").asString()));
            assertThat(ids).as("seed %d", seed).hasSize((int) rev);
            assertThat(new HashSet<>(ids)).as("seed %d", seed).hasSize((int) rev);
            Set<String> acked = new HashSet<>();
            clients.forEach(client -> acked.addAll(client.ackedIds()));
            assertThat(new HashSet<>(ids)).as("seed %d", seed).isEqualTo(acked);
        } finally {
            clients.forEach(OtClient::close);
        }
    }

    @Test
    void presenceAndCursorsCrossInstances() {
        String[] bobClientId = new String[1];
        try (WsClient alice = WsClient.connect(
                port(0), "cluster-presence", Tokens.user("alice").sign())) {
            alice.await("snapshot");
            alice.await("presence");
            try (WsClient bob = WsClient.connect(
                    port(1), "cluster-presence", Tokens.user("bob").sign())) {
                String bobClient = bob.await("snapshot").get("clientId").asString();
                JsonNode members = bob.await("presence").get("members");
                assertThat(members).hasSize(2);
                assertThat(alice.await("join").get("clientId").asString()).isEqualTo(bobClient);
                assertThat(redis.hashFields("coedit:doc:{cluster-presence}:members"))
                        .contains(bobClient);
                bobClientId[0] = bobClient;
                bob.send(Map.of("type", "cursor", "pos", 0, "sel", List.of(0, 0)));
                JsonNode cursor = alice.await("cursor");
                assertThat(cursor.get("clientId").asString()).isEqualTo(bobClient);
                assertThat(cursor.get("user").get("id").asString()).isEqualTo("bob");
            }
            assertThat(alice.await("leave").get("user").get("id").asString()).isEqualTo("bob");
            // the leave that was announced is gone from the members hash too
            assertThat(redis.hashFields("coedit:doc:{cluster-presence}:members"))
                    .hasSize(1)
                    .doesNotContain(bobClientId[0]);
        }
    }

    @Test
    void joiningAndReadingADocumentNobodyEditedStoresOnlyPresenceThatExpires() throws Exception {
        String doc = "never-written-" + System.nanoTime();
        try (WsClient reader = WsClient.connect(
                        port(0), doc, Tokens.user("reader").scope("doc:read").sign());
                WsClient other = WsClient.connect(
                        port(1), doc, Tokens.user("other").scope("doc:read").sign())) {
            assertThat(reader.await("snapshot").get("rev").asLong()).isZero();
            assertThat(other.await("snapshot").get("content").asString()).isEmpty();
            reader.await("join");
            for (int instance = 0; instance < 3; instance++) {
                assertThat(RestClient.documentStatus(port(instance), doc)).isEqualTo(404);
            }
            // the members hash is the only key, and it expires once nobody refreshes it
            Map<String, Long> keys = redis.keysWithTtl("*" + doc + "*");
            assertThat(keys).hasSize(1);
            assertThat(keys.keySet().iterator().next()).endsWith(":members");
            assertThat(keys.values().iterator().next()).isBetween(1L, 30L);
        }
    }

    @Test
    void anInstanceUnsubscribesAfterItsLastSessionLeaves() {
        String channel = "coedit:doc:{cluster-unsubscribe}:ops";
        try (WsClient client = WsClient.connect(port(2), "cluster-unsubscribe", Tokens.valid())) {
            client.await("snapshot");
            await().atMost(Duration.ofSeconds(10)).until(() -> redis.subscribers(channel) == 1);
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> redis.subscribers(channel) == 0);
    }

    @Test
    void aDroppedRelayMessageIsHealedFromTheLog() throws Exception {
        String doc = "cluster-heal";
        try (WsClient writer =
                        WsClient.connect(port(0), doc, Tokens.user("writer").sign());
                WsClient reader =
                        WsClient.connect(port(1), doc, Tokens.user("reader").sign())) {
            writer.await("snapshot");
            reader.await("snapshot");
            RedisMessageListenerContainer relay = instances.context(1).getBean(RedisMessageListenerContainer.class);
            relay.stop();
            for (int i = 0; i < 3; i++) {
                writer.send(
                        Map.of("type", "op", "rev", i, "op", i == 0 ? List.of("x") : List.of(i, "x"), "id", "w:" + i));
                writer.await("ack");
            }
            relay.start();
            // the last op of the burst was never relayed to instance 1: it must come from the log
            long rev = 0;
            while (rev < 3) {
                JsonNode op = reader.await("op");
                assertThat(op.get("rev").asLong()).isEqualTo(rev + 1);
                rev = op.get("rev").asLong();
            }
        }
    }
}
