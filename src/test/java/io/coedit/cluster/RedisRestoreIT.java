package io.coedit.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.coedit.support.ClusterInstances;
import io.coedit.support.EmbeddedRedis;
import io.coedit.support.RestClient;
import io.coedit.support.Tokens;
import io.coedit.support.WsClient;

import static io.coedit.support.OpMessages.insertAtEnd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis comes back with an older state under the same epoch (a restore from an older dump, a failover to a lagging
 * replica) while instances run with newer heads cached. No instance may serve or write the lost content, and the
 * clients are resynced into a new epoch.
 */
class RedisRestoreIT {

    private EmbeddedRedis redis;
    private ClusterInstances instances;

    @BeforeEach
    void startCluster() {
        redis = EmbeddedRedis.start();
        instances = new ClusterInstances(redis);
        instances.start();
        instances.start();
    }

    @AfterEach
    void stopCluster() {
        instances.close();
        redis.close();
    }

    @Test
    void anOlderRedisStateUnderTheSameEpochIsTreatedAsLostHistoryEverywhere() throws Exception {
        String doc = "restored";
        Path backup = null;
        String epoch;
        try (WsClient a = WsClient.connect(
                        instances.port(0), doc, Tokens.user("a").sign());
                WsClient b = WsClient.connect(
                        instances.port(1), doc, Tokens.user("b").sign())) {
            a.await("snapshot");
            b.await("snapshot");
            a.send(insertAtEnd(0, 0, "kept", "a:1"));
            assertThat(a.await("ack").get("rev").asLong()).isEqualTo(1);
            assertThat(b.await("op").get("rev").asLong()).isEqualTo(1);
            backup = redis.backup();
            a.send(insertAtEnd(1, 4, " LOST", "a:2"));
            assertThat(a.await("ack").get("rev").asLong()).isEqualTo(2);
            assertThat(b.await("op").get("rev").asLong()).isEqualTo(2);
            epoch = RestClient.document(instances.port(0), doc).get("epoch").asString();
            assertThat(RestClient.document(instances.port(1), doc)
                            .get("content")
                            .asString())
                    .isEqualTo("kept LOST");

            redis.restore(backup);

            // both sessions are resynced: a snapshot in a new epoch, without the lost revision
            for (WsClient client : List.of(a, b)) {
                JsonNode snapshot =
                        client.await(m -> "snapshot".equals(m.path("type").asString()), Duration.ofSeconds(30));
                assertThat(snapshot.get("epoch").asString()).isNotEqualTo(epoch);
                assertThat(snapshot.get("content").asString()).isEqualTo("kept");
                assertThat(snapshot.get("rev").asLong()).isEqualTo(1);
            }
        } finally {
            if (backup != null) {
                Files.deleteIfExists(backup);
            }
        }
        for (int instance = 0; instance < 2; instance++) {
            int port = instances.port(instance);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode served = RestClient.document(port, doc);
                assertThat(served.get("content").asString()).isEqualTo("kept");
                assertThat(served.get("epoch").asString()).isNotEqualTo(epoch);
            });
        }
        // editing goes on in the new epoch, and the lost text never comes back
        try (WsClient c =
                WsClient.connect(instances.port(1), doc, Tokens.user("c").sign())) {
            JsonNode snapshot = c.await("snapshot");
            c.send(insertAtEnd(snapshot.get("rev").asLong(), 4, " next", "c:1"));
            c.await("ack");
        }
        for (int instance = 0; instance < 2; instance++) {
            int port = instances.port(instance);
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(RestClient.document(port, doc)
                                    .get("content")
                                    .asString())
                            .isEqualTo("kept next"));
        }
    }
}
