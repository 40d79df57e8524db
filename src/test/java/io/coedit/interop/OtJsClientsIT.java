package io.coedit.interop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.coedit.support.ClusterInstances;
import io.coedit.support.EmbeddedRedis;
import io.coedit.support.NodeScript;
import io.coedit.support.RestClient;
import io.coedit.support.Tokens;
import io.coedit.support.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Unmodified ot.js clients (the npm "ot" package's own {@code ot.Client}, driven by frontend/interop/otjs-clients.mjs)
 * edit one document at random, with emoji and other astral characters, against real servers. At quiescence every
 * client's text is the server's and the revision counts exactly the acked ops: nothing lost, nothing applied twice.
 */
class OtJsClientsIT {

    private static final String SCRIPT = "interop/otjs-clients.mjs";
    private static final String[] NO_RATE_LIMIT = {
        "--coedit.ws.rate-limit.messages-per-second=100000", "--coedit.ws.rate-limit.burst=100000"
    };

    /** The driver's report, after checking that every client ends at the server's text and revision. */
    static JsonNode convergeAndCountAcks(String doc, int clients, IntUnaryOperator portOfClient) throws Exception {
        NodeScript.assumeInstalled("ot", "ws");
        long seed = System.nanoTime() % 1_000_000_000L;
        List<Map<String, Object>> specs = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            specs.add(Map.of(
                    "name",
                    "otjs" + i,
                    "url",
                    "ws://127.0.0.1:" + portOfClient.applyAsInt(i) + "/ws/documents/" + doc,
                    "token",
                    Tokens.user("otjs-user" + i).sign()));
        }
        String config = WsClient.JSON.writeValueAsString(
                Map.of("clients", specs, "edits", 60, "seed", seed, "quietMs", 1500, "timeoutMs", 90_000));
        NodeScript.Result result = NodeScript.run(Duration.ofSeconds(150), SCRIPT, config);
        String context = "seed " + seed + "; stderr: " + result.stderr() + "; stdout: " + result.stdout();
        assertThat(result.stdout()).as(context).isNotBlank();
        JsonNode report = WsClient.JSON.readTree(result.stdout());
        assertThat(report.get("errors").size())
                .as("protocol errors, " + context)
                .isZero();
        assertThat(report.get("timedOut").asBoolean())
                .as("reached quiescence, " + context)
                .isFalse();
        assertThat(result.exitCode()).as(context).isZero();

        for (int instance : distinctPorts(clients, portOfClient)) {
            JsonNode server = RestClient.document(instance, doc);
            long ackedTotal = 0;
            for (JsonNode client : report.get("clients")) {
                assertThat(client.get("text").asString())
                        .as(client.get("name") + " text, " + context)
                        .isEqualTo(server.get("content").asString());
                assertThat(client.get("revision").asLong())
                        .as(client.get("name") + " revision, " + context)
                        .isEqualTo(server.get("rev").asLong());
                assertThat(client.get("acked").asLong())
                        .as("every sent op acked")
                        .isEqualTo(client.get("sent").asLong());
                // ot.js composes edits made while one op is in flight, so there are fewer ops than edits
                assertThat(client.get("sent").asLong())
                        .as(client.get("name") + " sent ops")
                        .isPositive();
                ackedTotal += client.get("acked").asLong();
            }
            assertThat(server.get("rev").asLong())
                    .as("revision = acked ops, " + context)
                    .isEqualTo(ackedTotal);
        }
        return report;
    }

    private static List<Integer> distinctPorts(int clients, IntUnaryOperator portOfClient) {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            if (!ports.contains(portOfClient.applyAsInt(i))) {
                ports.add(portOfClient.applyAsInt(i));
            }
        }
        return ports;
    }

    @Nested
    @SpringBootTest(
            webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {
                "coedit.security.jwt.secret=" + Tokens.SECRET,
                "coedit.ws.rate-limit.messages-per-second=100000",
                "coedit.ws.rate-limit.burst=100000"
            })
    class OneInstance {

        @LocalServerPort
        int port;

        @Test
        void sixUnmodifiedOtJsClientsConverge() throws Exception {
            convergeAndCountAcks("otjs-one-" + System.nanoTime(), 6, i -> port);
        }
    }

    @Nested
    @SpringBootTest(
            webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {
                "coedit.security.jwt.secret=" + Tokens.SECRET,
                "coedit.ws.rate-limit.messages-per-second=100000",
                "coedit.ws.rate-limit.burst=100000",
                // a second op for the document while one is committing is refused for now
                "coedit.documents.submit-queue-ops=1"
            })
    class OneInstanceThatTurnsOpsAway {

        @LocalServerPort
        int port;

        @Test
        void otJsClientsToldToSendAgainLaterConvergeWithEveryOpAppliedOnce() throws Exception {
            JsonNode report = convergeAndCountAcks("otjs-busy-" + System.nanoTime(), 12, i -> port);

            long resent = 0;
            for (JsonNode client : report.get("clients")) {
                resent += client.get("resent").asLong();
            }
            assertThat(resent).as("ops answered unavailable and sent again").isPositive();
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class ThreeRedisBackedInstances {

        private EmbeddedRedis redis;
        private ClusterInstances instances;

        @BeforeAll
        void startCluster() {
            redis = EmbeddedRedis.start();
            instances = new ClusterInstances(redis);
            for (int i = 0; i < 3; i++) {
                instances.start(NO_RATE_LIMIT);
            }
        }

        @AfterAll
        void stopCluster() {
            if (instances != null) {
                instances.close();
            }
            if (redis != null) {
                redis.close();
            }
        }

        @Test
        void nineUnmodifiedOtJsClientsOnThreeInstancesConverge() throws Exception {
            convergeAndCountAcks("otjs-cluster-" + System.nanoTime(), 9, i -> instances.port(i % 3));
        }
    }
}
