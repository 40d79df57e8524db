package io.coedit.cluster;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.coedit.support.ClusterInstances;
import io.coedit.support.Tokens;
import io.coedit.support.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances whose presence entries expire after a second unless refreshed: a session that stays connected must
 * stay a member everywhere, however long it stays.
 */
class PresenceRefreshIT {

    private static ClusterInstances instances;

    @BeforeAll
    static void startCluster() {
        instances = ClusterInstances.withOwnRedis(
                2, "--coedit.cluster.presence-refresh=200ms", "--coedit.cluster.presence-ttl=1s");
    }

    @AfterAll
    static void stopCluster() {
        if (instances != null) {
            instances.close();
        }
    }

    @Test
    void everySessionOfAnotherInstanceStaysAMemberPastThePresenceTtlWhileConnected() throws InterruptedException {
        String doc = "refreshed-" + System.nanoTime();
        List<WsClient> writers = new ArrayList<>();
        try {
            List<String> clientIds = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                WsClient writer = WsClient.connect(
                        instances.port(0), doc, Tokens.user("writer-" + i).sign());
                writers.add(writer);
                clientIds.add(writer.await("snapshot").get("clientId").asString());
            }
            try (WsClient watcher = WsClient.connect(
                    instances.port(1), doc, Tokens.user("watcher").sign())) {
                watcher.await("snapshot");
                // three times the TTL: entries not refreshed would have been swept, and their leave announced
                Thread.sleep(3_000);
                try (WsClient late = WsClient.connect(
                        instances.port(1), doc, Tokens.user("late").sign())) {
                    late.await("snapshot");
                    JsonNode members = late.await("presence").get("members");
                    List<String> listed = new ArrayList<>();
                    members.forEach(member -> listed.add(member.get("clientId").asString()));
                    assertThat(listed).containsAll(clientIds).hasSize(5);
                }
            }
        } finally {
            writers.forEach(WsClient::close);
        }
    }
}
