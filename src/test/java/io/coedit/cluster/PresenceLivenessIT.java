package io.coedit.cluster;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.coedit.support.ClusterInstances;
import io.coedit.support.EmbeddedRedis;
import io.coedit.support.JarProcess;
import io.coedit.support.Tokens;
import io.coedit.support.WsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A member is alive while its instance beats: the members of an instance killed without a goodbye leave everywhere
 * within the presence TTL, an idle cluster's rounds neither rewrite nor read member lists however many sessions it
 * holds, and a Redis that lost its data gets every member back within a round.
 */
class PresenceLivenessIT {

    private static final String[] FAST_PRESENCE = {
        "--coedit.cluster.presence-refresh=200ms", "--coedit.cluster.presence-ttl=1s"
    };

    private EmbeddedRedis redis;
    private ClusterInstances instances;

    @BeforeEach
    void startCluster() {
        redis = EmbeddedRedis.start();
        instances = new ClusterInstances(redis);
    }

    @AfterEach
    void stopCluster() {
        instances.close();
        redis.close();
    }

    @Test
    void membersOfAKilledInstanceLeaveForTheOthersAndAreNotListedToNewcomers() throws Exception {
        instances.start(FAST_PRESENCE);
        String doc = "killed-" + System.nanoTime();
        try (WsClient watcher =
                WsClient.connect(instances.port(0), doc, Tokens.user("watcher").sign())) {
            watcher.await("snapshot");
            try (JarProcess doomed =
                    JarProcess.start(Files.createTempDirectory("coedit-doomed-"), redisModeArgs("doomed"))) {
                WsClient ghost = WsClient.connect(
                        doomed.port(), doc, Tokens.user("ghost").sign());
                ghost.await("snapshot");
                assertThat(watcher.await("join").get("user").get("id").asString())
                        .isEqualTo("ghost");

                doomed.kill();
                JsonNode leave = watcher.await(
                        message -> "leave".equals(message.path("type").asString()), Duration.ofSeconds(15));
                assertThat(leave.get("user").get("id").asString()).isEqualTo("ghost");
                ghost.close();
            }
            try (WsClient newcomer = WsClient.connect(
                    instances.port(0), doc, Tokens.user("newcomer").sign())) {
                newcomer.await("snapshot");
                assertThat(userIds(newcomer.await("presence"))).containsExactlyInAnyOrder("watcher", "newcomer");
            }
        }
    }

    @Test
    void anIdleClusterNeitherRewritesNorReadsMemberListsBetweenJoins() throws Exception {
        // the revocation list is a hash read every reload: not in this window
        String[] args = {FAST_PRESENCE[0], FAST_PRESENCE[1], "--coedit.cluster.revocation-reload=1h"};
        instances.start(args);
        instances.start(args);
        List<WsClient> sessions = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                WsClient session = WsClient.connect(
                        instances.port(i % 2),
                        "idle-" + (i % 3),
                        Tokens.user("idle-" + i).sign());
                sessions.add(session);
                session.await("snapshot");
            }
            Thread.sleep(500);
            long writes = redis.calls("hset");
            long reads = redis.calls("hgetall") + redis.calls("hvals");
            long beats = redis.calls("zadd");

            // ten rounds of each instance
            Thread.sleep(2_000);

            assertThat(redis.calls("zadd") - beats).as("heartbeats").isGreaterThanOrEqualTo(10);
            assertThat(redis.calls("hset") - writes)
                    .as("member entries rewritten")
                    .isZero();
            assertThat(redis.calls("hgetall") + redis.calls("hvals") - reads)
                    .as("member lists read")
                    .isZero();
        } finally {
            sessions.forEach(WsClient::close);
        }
    }

    @Test
    void aRedisThatLostItsDataGetsEveryMemberBackWithinARound() {
        instances.start(FAST_PRESENCE);
        instances.start(FAST_PRESENCE);
        String doc = "flushed-" + System.nanoTime();
        try (WsClient stays =
                WsClient.connect(instances.port(0), doc, Tokens.user("stays").sign())) {
            stays.await("snapshot");
            redis.flushAll();
            // a newcomer's room reads the member list once, as it opens: wait for the list to be back
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !redis.keysWithTtl("*{" + doc + "}:members").isEmpty());
            try (WsClient newcomer = WsClient.connect(
                    instances.port(1), doc, Tokens.user("newcomer").sign())) {
                newcomer.await("snapshot");
                assertThat(userIds(newcomer.await("presence"))).containsExactlyInAnyOrder("stays", "newcomer");
            }
        }
    }

    private String[] redisModeArgs(String instanceId) {
        List<String> args = new ArrayList<>(List.of(
                "--coedit.cluster.mode=redis",
                "--spring.data.redis.host=" + redis.host(),
                "--spring.data.redis.port=" + redis.port(),
                "--coedit.security.jwt.secret=" + Tokens.SECRET,
                "--coedit.cluster.instance-id=" + instanceId));
        args.addAll(List.of(FAST_PRESENCE));
        return args.toArray(String[]::new);
    }

    private static List<String> userIds(JsonNode presence) {
        List<String> ids = new ArrayList<>();
        presence.get("members")
                .forEach(member -> ids.add(member.get("user").get("id").asString()));
        return ids;
    }
}
