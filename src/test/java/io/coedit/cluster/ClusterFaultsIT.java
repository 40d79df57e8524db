package io.coedit.cluster;

import java.time.Duration;
import java.util.Map;

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

/** Redis going away and instances dying: sessions survive what they can, nothing acked is lost. */
class ClusterFaultsIT {

    private EmbeddedRedis redis;
    private ClusterInstances instances;

    @BeforeEach
    void startCluster() {
        redis = EmbeddedRedis.startAppendOnly();
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
    void redisOutageKeepsSessionsOpenAnswersUnavailableAndLosesNothingAcked() {
        String doc = "outage";
        try (WsClient a = WsClient.connect(
                        instances.port(0), doc, Tokens.user("a").sign());
                WsClient b = WsClient.connect(
                        instances.port(1), doc, Tokens.user("b").sign())) {
            a.await("snapshot");
            b.await("snapshot");
            a.send(insertAtEnd(0, 0, "before", "a:1"));
            assertThat(a.await("ack").get("rev").asLong()).isEqualTo(1);
            assertThat(b.await("op").get("rev").asLong()).isEqualTo(1);

            redis.stop();
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> RestClient.status(instances.port(0), "/actuator/health/readiness") == 503);
            a.send(insertAtEnd(1, 6, " during", "a:2"));
            JsonNode refused = a.await("error");
            assertThat(refused.get("code").asString()).isEqualTo("unavailable");
            assertThat(refused.get("id").asString()).isEqualTo("a:2");
            assertThat(a.isClosed()).isFalse();
            assertThat(b.isClosed()).isFalse();

            redis.restart();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> RestClient.status(instances.port(0), "/actuator/health/readiness") == 200);
            // the client kept its op and resends it with the same id
            a.send(insertAtEnd(1, 6, " after", "a:2"));
            assertThat(a.await("ack").get("rev").asLong()).isEqualTo(2);
            JsonNode relayed = b.await("op");
            assertThat(relayed.get("rev").asLong()).isEqualTo(2);
            assertThat(RestClient.document(instances.port(1), doc)
                            .get("content")
                            .asString())
                    .isEqualTo("before after");
        }
    }

    @Test
    void clientsOfAStoppedInstanceReconnectElsewhereAndCatchUp() {
        String doc = "failover";
        try (WsClient stay = WsClient.connect(
                        instances.port(0), doc, Tokens.user("stay").sign());
                WsClient moving = WsClient.connect(
                        instances.port(1), doc, Tokens.user("moving").sign())) {
            stay.await("snapshot");
            JsonNode first = moving.await("snapshot");
            String epoch = first.get("epoch").asString();
            stay.await("join");
            stay.send(insertAtEnd(0, 0, "one", "s:1"));
            stay.await("ack");
            assertThat(moving.await("op").get("rev").asLong()).isEqualTo(1);

            instances.stop(1);
            assertThat(moving.awaitClose()).isEqualTo(1001);
            assertThat(stay.await("leave").get("user").get("id").asString()).isEqualTo("moving");
            stay.send(insertAtEnd(1, 3, " two", "s:2"));
            stay.await("ack");

            try (WsClient back = WsClient.connect(
                    instances.port(0), doc, Tokens.user("moving").sign())) {
                back.await("snapshot");
                back.send(Map.of("type", "sync", "rev", 1, "epoch", epoch));
                JsonNode missed = back.await("op");
                assertThat(missed.get("rev").asLong()).isEqualTo(2);
                assertThat(missed.get("id").asString()).isEqualTo("s:2");
                assertThat(stay.await("join").get("user").get("id").asString()).isEqualTo("moving");
            }
        }
    }
}
