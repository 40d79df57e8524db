package io.coedit.deploy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import io.coedit.support.OpMessages;
import io.coedit.support.OtClient;
import io.coedit.support.RandomEdits;
import io.coedit.support.RestClient;
import io.coedit.support.Tokens;
import io.coedit.support.WsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The compose topology without Docker, as an operator runs it: {@code scripts/local-cluster.sh} starts redis-server,
 * two instances from the built jar and nginx with {@code deploy/nginx.conf}; every client goes through nginx.
 * Needs redis-server and nginx (Debian packages): skipped without them, except under {@code CI=true}. The script
 * runs with a soft open-files limit of {@value #CONTAINER_SOFT_NOFILE}, what Docker gives a container by default.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalClusterIT {

    private static final Path SCRIPT = Path.of("scripts", "local-cluster.sh").toAbsolutePath();
    /** Docker's default soft open-files limit for a container (1024:524288 since Docker 25). */
    private static final int CONTAINER_SOFT_NOFILE = 1024;

    private static final String METRICS =
            Tokens.user("ops").scope("metrics:read").sign();

    private static Path runDir;
    private static Map<String, String> env;
    private static int lb;
    private static int[] instancePorts;

    @BeforeAll
    static void startTopology() throws Exception {
        String missing = Set.of("redis-server", "nginx").stream()
                .filter(tool -> !onPath(tool))
                .findFirst()
                .orElse(null);
        if (missing != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException("CI=true: the local topology test must run, but " + missing
                        + " is not installed (apt-get install redis-server nginx)");
            }
            Assumptions.abort("Skipping the local topology test: " + missing + " is not installed");
        }
        runDir = Files.createTempDirectory("coedit-local-cluster-");
        lb = freePort();
        instancePorts = new int[] {freePort(), freePort()};
        env = new HashMap<>(Map.of(
                "COEDIT_LB_PORT",
                Integer.toString(lb),
                "COEDIT_PORT_1",
                Integer.toString(instancePorts[0]),
                "COEDIT_PORT_2",
                Integer.toString(instancePorts[1]),
                "COEDIT_WS_PORT_1",
                Integer.toString(freePort()),
                "COEDIT_WS_PORT_2",
                Integer.toString(freePort()),
                "COEDIT_REDIS_PORT",
                Integer.toString(freePort()),
                "COEDIT_RUN_DIR",
                runDir.toString(),
                "COEDIT_SECURITY_JWT_SECRET",
                Tokens.SECRET,
                "COEDIT_JAVA_OPTS",
                "-Xmx384m"));
        script("start");
    }

    @AfterAll
    static void stopTopology() throws Exception {
        if (runDir != null) {
            script("stop");
        }
    }

    @Test
    @Order(1)
    void sessionsThroughNginxLandOnBothInstancesConvergeAndGetAPushedEvent() throws Exception {
        String doc = "topology-" + UUID.randomUUID().toString().substring(0, 8);
        RandomEdits random = new RandomEdits(11);
        List<OtClient> writers = new ArrayList<>();
        try (WsClient first = WsClient.connect(lb, doc, Tokens.user("watcher-1").sign());
                WsClient second =
                        WsClient.connect(lb, doc, Tokens.user("watcher-2").sign())) {
            first.await("snapshot");
            second.await("snapshot");
            for (int i = 0; i < 4; i++) {
                writers.add(OtClient.open(lb, doc, Tokens.user("writer-" + i).sign(), "w" + i));
            }
            assertThat(sessions(0)).as("sessions on instance 1").isGreaterThan(0);
            assertThat(sessions(1)).as("sessions on instance 2").isGreaterThan(0);
            for (int step = 0; step < 200; step++) {
                OtClient writer = writers.get(random.nextInt(writers.size()));
                if (random.nextInt(3) == 0) {
                    writer.pump();
                } else {
                    writer.edit(random.smallEdit(writer.text()));
                }
            }
            for (int round = 0; round < 2; round++) {
                for (OtClient writer : writers) {
                    writer.settle(); // a later writer's last ops reach the earlier ones in the second round
                }
            }
            String server = RestClient.call("GET", lb, "/api/documents/" + doc, Tokens.valid(), null)
                    .json()
                    .get("content")
                    .asString();
            for (OtClient writer : writers) {
                assertThat(writer.text()).isEqualTo(server);
                assertThat(writer.errors()).isEmpty();
            }

            RestClient.Response pushed = RestClient.call(
                    "POST",
                    lb,
                    "/api/documents/" + doc + "/events",
                    Tokens.user("ci").scope("events:publish").sign(),
                    "{\"name\":\"deployed\"}");
            assertThat(pushed.status()).isEqualTo(202);
            assertThat(first.await("event").get("id").asString())
                    .isEqualTo(pushed.json().get("id").asString());
            assertThat(second.await("event").get("id").asString())
                    .isEqualTo(pushed.json().get("id").asString());

            String scrape1 = RestClient.call("GET", instancePorts[0], "/actuator/prometheus", METRICS, null)
                    .body();
            String scrape2 = RestClient.call("GET", instancePorts[1], "/actuator/prometheus", METRICS, null)
                    .body();
            assertThat(scrape1 + scrape2)
                    .as("ops relayed between the instances")
                    .containsPattern("coedit_relay_latency_seconds_count [1-9]");
            // nginx sends the document endpoint to the instances' event loop ports
            assertThat(scrape1).containsPattern("coedit_ws_event_loop_connections [1-9]");
            assertThat(scrape2).containsPattern("coedit_ws_event_loop_connections [1-9]");
        } finally {
            writers.forEach(OtClient::close);
        }
    }

    @Test
    @Order(2)
    void sigtermDrainsAnInstanceDuringEditingWithoutLosingAnAckedEditOrLeavingGhosts() throws Exception {
        String doc = "drain-" + UUID.randomUUID().toString().substring(0, 8);
        int writers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        Map<String, Boolean> acked = new ConcurrentHashMap<>();
        long stopAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(12);
        List<Writer> all = new ArrayList<>();
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            Writer writer = new Writer(doc, "drainer-" + i, acked, stopAt);
            all.add(writer);
            running.add(pool.submit(writer));
        }
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> acked.size() >= 20);
            assertThat(sessions(0)).as("writers on the instance about to drain").isGreaterThan(0);
            long pid = Long.parseLong(
                    Files.readString(runDir.resolve("coedit-1.pid")).trim());
            ProcessHandle instance = ProcessHandle.of(pid).orElseThrow();
            int ackedBefore = acked.size();
            Runtime.getRuntime()
                    .exec(new String[] {"kill", "-TERM", Long.toString(pid)})
                    .waitFor();
            assertThat(instance.onExit().get(60, TimeUnit.SECONDS).isAlive()).isFalse();
            for (Future<?> writer : running) {
                writer.get(60, TimeUnit.SECONDS);
            }
            assertThat(acked.size()).as("edits acked after the drain began").isGreaterThan(ackedBefore);
            assertThat(all.stream().mapToInt(writer -> writer.reconnects).sum())
                    .as("clients moved over")
                    .isPositive();

            String text = RestClient.call("GET", lb, "/api/documents/" + doc, Tokens.valid(), null)
                    .json()
                    .get("content")
                    .asString();
            for (String marker : acked.keySet()) {
                assertThat(occurrences(text, marker)).as("acked " + marker).isEqualTo(1);
            }
            for (Writer writer : all) {
                for (String marker : writer.sent) {
                    assertThat(occurrences(text, marker)).as("sent " + marker).isLessThanOrEqualTo(1);
                }
            }
            // the drained instance's sessions are gone from presence: only the live writers are listed
            await().atMost(Duration.ofSeconds(25)).untilAsserted(() -> {
                JsonNode members = RestClient.call(
                                "GET", instancePorts[1], "/api/documents/" + doc + "/members", Tokens.valid(), null)
                        .json()
                        .get("members");
                List<String> users = new ArrayList<>();
                members.forEach(member -> users.add(member.get("userId").asString() + "x"
                        + member.get("sessions").asInt()));
                assertThat(users)
                        .containsExactlyInAnyOrderElementsOf(
                                all.stream().map(writer -> writer.user + "x1").toList());
            });
        } finally {
            all.forEach(Writer::close);
            pool.shutdownNow();
            script("start"); // the script starts again only what is down
        }
        assertThat(sessions(0)).isZero();
    }

    /**
     * Each session through nginx holds two of its open files (the client's and the instance's): on the soft limit a
     * container starts with, nginx stopped accepting at about 500 sessions a worker.
     */
    @Test
    @Order(3)
    void theLoadBalancerCarriesMoreSessionsThanAContainersDefaultOpenFilesLimitAllows() {
        int sessions = 3 * CONTAINER_SOFT_NOFILE / 2;
        String run = "many-" + UUID.randomUUID().toString().substring(0, 8);
        HttpClient http = HttpClient.newHttpClient();
        List<WsClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < sessions; i++) {
                open.add(WsClient.connectWithSubprotocol(
                        http, lb, run + "-" + (i % 50), Tokens.user("many-" + i).sign()));
            }
            for (WsClient session : open) {
                session.await("snapshot");
            }
            assertThat(sessions(0) + sessions(1)).isGreaterThanOrEqualTo(sessions);
        } finally {
            open.forEach(WsClient::abort);
        }
    }

    private static int occurrences(String text, String marker) {
        int count = 0;
        for (int at = text.indexOf(marker); at >= 0; at = text.indexOf(marker, at + 1)) {
            count++;
        }
        return count;
    }

    /**
     * A client that appends markers one at a time through nginx, and after a close reconnects (through nginx again)
     * and sends its unacked marker again under the same id unless the snapshot already holds it.
     */
    private static final class Writer implements Runnable {
        private final String doc;
        private final String user;
        private final Map<String, Boolean> acked;
        private final long stopAt;
        private final List<String> sent = new ArrayList<>();
        private volatile WsClient client;
        private long rev;
        private int length;
        private String pending;
        private String pendingId;
        private int next;
        private int reconnects;
        private long resendAt;
        private boolean restart;

        Writer(String doc, String user, Map<String, Boolean> acked, long stopAt) {
            this.doc = doc;
            this.user = user;
            this.acked = acked;
            this.stopAt = stopAt;
        }

        @Override
        public void run() {
            try {
                connect();
                while (System.nanoTime() < stopAt || pending != null) {
                    if (System.nanoTime() > stopAt + TimeUnit.SECONDS.toNanos(30)) {
                        throw new AssertionError(user + ": " + pending + " was never acked");
                    }
                    if (pending == null && System.nanoTime() < stopAt) {
                        pending = "<" + user + ":" + (next++) + ">";
                        pendingId = user + ":" + next;
                        sent.add(pending);
                        send();
                    } else if (pending != null && resendAt != 0 && System.nanoTime() > resendAt) {
                        send();
                    }
                    if (restart) {
                        restart = false;
                        client.abort();
                        reconnects++;
                        connect();
                        continue;
                    }
                    JsonNode message = client.poll(Duration.ofMillis(50));
                    if (message == null) {
                        if (client.isClosed()) {
                            reconnects++;
                            connect();
                        }
                        continue;
                    }
                    handle(message);
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }

        private void handle(JsonNode message) {
            long messageRev = message.path("rev").asLong(-1);
            switch (message.get("type").asString()) {
                case "op" -> {
                    if (messageRev > rev) {
                        rev = messageRev;
                        message.get("op")
                                .forEach(part -> length +=
                                        part.isString() ? part.asString().length() : 0);
                    }
                }
                case "ack" -> {
                    if (pending != null && pendingId.equals(message.get("id").asString())) {
                        if (messageRev > rev) {
                            rev = messageRev;
                            length += pending.length();
                        }
                        acked.put(pending, true);
                        pending = null;
                        resendAt = 0;
                    }
                }
                case "error" -> {
                    String code = message.get("code").asString();
                    if (code.equals("unavailable") || code.equals("rate_limited")) {
                        resendAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
                    } else {
                        restart = true; // out of step: start over from a snapshot
                    }
                }
                default -> {}
            }
        }

        private void send() {
            resendAt = 0;
            try {
                client.send(OpMessages.insertAtEnd(rev, length, pending, pendingId));
            } catch (CompletionException ex) {
                // the drain's close arrived first (the client's output is closed): resent after the reconnect
                resendAt = System.nanoTime();
            }
        }

        private void connect() throws InterruptedException {
            for (int attempt = 0; ; attempt++) {
                try {
                    WsClient fresh = WsClient.connect(lb, doc, Tokens.user(user).sign());
                    JsonNode snapshot = fresh.await("snapshot");
                    client = fresh;
                    rev = snapshot.get("rev").asLong();
                    String content = snapshot.get("content").asString();
                    length = content.length();
                    if (pending != null) {
                        if (content.contains(pending)) {
                            acked.put(pending, true); // stored before the close; its ack was lost with the session
                            pending = null;
                        } else {
                            send();
                        }
                    }
                    return;
                } catch (RuntimeException ex) {
                    if (attempt > 50) {
                        throw ex;
                    }
                    Thread.sleep(100);
                }
            }
        }

        void close() {
            if (client != null) {
                client.close();
            }
        }
    }

    private static double sessions(int instance) {
        JsonNode metric = RestClient.call(
                        "GET", instancePorts[instance], "/actuator/metrics/coedit.sessions", METRICS, null)
                .json();
        return metric.get("measurements").get(0).get("value").asDouble();
    }

    private static void script(String command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(
                        "bash",
                        "-c",
                        "ulimit -Sn " + CONTAINER_SOFT_NOFILE + " && exec \"$0\" \"$1\"",
                        SCRIPT.toString(),
                        command)
                .redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(180, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("local-cluster.sh " + command + " failed:\n" + output + logs());
        }
    }

    private static String logs() throws IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(runDir)) {
            for (Path log :
                    files.filter(path -> path.toString().endsWith(".log")).toList()) {
                String text = Files.readString(log);
                all.append("\n--- ")
                        .append(log.getFileName())
                        .append('\n')
                        .append(text.substring(Math.max(0, text.length() - 4000)));
            }
        }
        return all.toString();
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
