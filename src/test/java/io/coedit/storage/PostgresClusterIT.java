package io.coedit.storage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.coedit.support.ClusterInstances;
import io.coedit.support.EmbeddedRedis;
import io.coedit.support.OtClient;
import io.coedit.support.PostgresServer;
import io.coedit.support.RandomEdits;
import io.coedit.support.RestClient;
import io.coedit.support.Tokens;
import io.coedit.support.WsClient;

import static io.coedit.support.OpMessages.insertAtEnd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two Redis-relayed instances on one real PostgreSQL: the database is the one source of truth, Redis carries only
 * the relay and presence. Losing Redis's data, or every instance, loses no acked edit; a database outage answers
 * {@code unavailable} and loses nothing either.
 */
class PostgresClusterIT {

    private PostgresServer postgres;
    private EmbeddedRedis redis;
    private ClusterInstances instances;

    @BeforeEach
    void startCluster() {
        postgres = PostgresServer.start();
        redis = EmbeddedRedis.start(); // no persistence: a restart brings it back empty
        instances = startInstances(2);
    }

    @AfterEach
    void stopCluster() {
        if (instances != null) {
            instances.close();
        }
        if (redis != null) {
            redis.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private ClusterInstances startInstances(int count) {
        ClusterInstances started = new ClusterInstances(redis);
        for (int i = 0; i < count; i++) {
            started.start(
                    "--coedit.storage.type=postgres",
                    "--spring.datasource.url=" + postgres.jdbcUrl(),
                    "--spring.datasource.username=" + PostgresServer.USER,
                    "--spring.datasource.password=");
        }
        return started;
    }

    private static void editRandomly(List<OtClient> clients, RandomEdits random, int steps)
            throws InterruptedException {
        for (int step = 1; step <= steps; step++) {
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
    }

    private static Set<String> storedIds(int port, String doc, long rev) {
        List<String> ids = new ArrayList<>();
        for (long since = 0; since < rev; ) {
            JsonNode page = RestClient.ops(port, doc, since);
            page.get("ops").forEach(op -> ids.add(op.get("id").asString()));
            since = page.get("rev").asLong();
        }
        assertThat(ids).as("each revision once").hasSize((int) rev).doesNotHaveDuplicates();
        return new HashSet<>(ids);
    }

    private void assertServed(ClusterInstances cluster, String doc, String text, long rev, Set<String> acked) {
        for (int i = 0; i < 2; i++) {
            JsonNode document = RestClient.document(cluster.port(i), doc);
            assertThat(document.get("content").asString()).isEqualTo(text);
            assertThat(document.get("rev").asLong()).isEqualTo(rev);
            assertThat(storedIds(cluster.port(i), doc, rev)).isEqualTo(acked);
        }
    }

    @Test
    void aRedisThatComesBackEmptyOrRestartedInstancesLoseNoAckedEdit() throws Exception {
        long seed = System.nanoTime();
        RandomEdits random = new RandomEdits(seed);
        String doc = "pg-cluster-" + seed;
        List<OtClient> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            clients.add(OtClient.open(
                    instances.port(i % 2), doc, Tokens.user("user" + i).sign(), "c" + i));
        }
        Set<String> acked = new HashSet<>();
        try {
            // clients on both instances race on one document: each revision is committed once
            editRandomly(clients, random, 200);
            clients.forEach(client -> acked.addAll(client.ackedIds()));
            String text = clients.get(0).text();
            for (OtClient client : clients) {
                assertThat(client.errors()).as("seed %d", seed).isEmpty();
                assertThat(client.text()).as("seed %d", seed).isEqualTo(text);
            }
            assertServed(instances, doc, text, clients.get(0).rev(), acked);

            redis.restart(false);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> RestClient.status(instances.port(0), "/actuator/health/readiness") == 200
                            && RestClient.status(instances.port(1), "/actuator/health/readiness") == 200);
            assertServed(instances, doc, text, clients.get(0).rev(), acked);

            // editing goes on through both instances, and each instance's edits reach the other
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                clients.get(0).edit(random.smallEdit(clients.get(0).text()));
                clients.get(1).edit(random.smallEdit(clients.get(1).text()));
                for (OtClient client : clients) {
                    client.settle();
                }
                for (OtClient client : clients) {
                    assertThat(client.text()).isEqualTo(clients.get(0).text());
                    assertThat(client.rev()).isEqualTo(clients.get(0).rev());
                }
            });
            acked.clear();
            clients.forEach(client -> acked.addAll(client.ackedIds()));
            String textAfter = clients.get(0).text();
            long revAfter = clients.get(0).rev();
            assertServed(instances, doc, textAfter, revAfter, acked);

            // every instance stops; new ones on the same database serve the same document
            clients.forEach(OtClient::close);
            clients.clear();
            instances.close();
            instances = startInstances(2);
            assertServed(instances, doc, textAfter, revAfter, acked);
            try (OtClient a = OtClient.open(
                            instances.port(0), doc, Tokens.user("a").sign(), "late-a");
                    OtClient b = OtClient.open(
                            instances.port(1), doc, Tokens.user("b").sign(), "late-b")) {
                a.edit(random.smallEdit(a.text()));
                a.settle();
                b.settle();
                assertThat(b.text()).isEqualTo(a.text());
                assertThat(b.rev()).isEqualTo(revAfter + 1);
            }
        } finally {
            clients.forEach(OtClient::close);
        }
    }

    @Test
    void aDatabaseOutageAnswersUnavailableAndTheResentOpIsAppliedOnce() {
        String doc = "pg-outage";
        try (WsClient a = WsClient.connect(
                        instances.port(0), doc, Tokens.user("a").sign());
                WsClient b = WsClient.connect(
                        instances.port(1), doc, Tokens.user("b").sign())) {
            a.await("snapshot");
            b.await("snapshot");
            a.send(insertAtEnd(0, 0, "before", "a:1"));
            assertThat(a.await("ack").get("rev").asLong()).isEqualTo(1);
            assertThat(b.await("op").get("rev").asLong()).isEqualTo(1);

            postgres.stop();
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> RestClient.status(instances.port(0), "/actuator/health/readiness") == 503);
            a.send(insertAtEnd(1, 6, " after", "a:2"));
            JsonNode refused = a.await("error");
            assertThat(refused.get("code").asString()).isEqualTo("unavailable");
            assertThat(refused.get("id").asString()).isEqualTo("a:2");
            assertThat(a.isClosed()).isFalse();
            assertThat(b.isClosed()).isFalse();

            postgres.restart();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> RestClient.status(instances.port(0), "/actuator/health/readiness") == 200);
            // the client kept its op and resends it with the same id; a second resend is not applied again
            a.send(insertAtEnd(1, 6, " after", "a:2"));
            assertThat(a.await("ack").get("rev").asLong()).isEqualTo(2);
            assertThat(b.await("op").get("rev").asLong()).isEqualTo(2);
            a.send(insertAtEnd(1, 6, " after", "a:2"));
            assertThat(a.await("ack").get("rev").asLong()).isEqualTo(2);
            for (int i = 0; i < 2; i++) {
                assertThat(RestClient.document(instances.port(i), doc)
                                .get("content")
                                .asString())
                        .isEqualTo("before after");
            }
            assertThat(storedIds(instances.port(1), doc, 2)).containsExactlyInAnyOrder("a:1", "a:2");
        }
    }
}
