package io.coedit.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import redis.embedded.RedisServer;

import io.coedit.support.PostgresServer;
import io.coedit.support.Tokens;

/**
 * What the benchmark measures, started as in production: one redis-server and Coedit instances, each its own JVM
 * from the built jar ({@code -Xmx1g}), on loopback, with documents in one of the {@link Store}s. The load generator
 * is this process.
 */
final class Topology implements AutoCloseable {

    /** Where the instances keep documents, and so how many of them can share one. */
    enum Store {
        /** Redis mode, documents in Redis. */
        REDIS("Redis"),
        /** One instance, documents in its SQLite file (the default start). */
        FILE("file (SQLite)"),
        /** Redis mode for the relay, documents in PostgreSQL. */
        POSTGRES("PostgreSQL");

        final String label;

        Store(String label) {
            this.label = label;
        }
    }

    static final String SECRET = Tokens.SECRET;

    /**
     * The instances' collector options, as the Dockerfile sets them; {@code -Dcoedit.bench.instance-gc} tries others.
     */
    static final String INSTANCE_GC = "-XX:+UseParallelGC -XX:MetaspaceSize=128m";

    static final String TRANSPORT_PROPERTY = "coedit.bench.transport";
    static final String WEB = "web";
    static final String EVENT_LOOP = "event-loop";

    /**
     * Where the instances serve the document endpoint: {@code event-loop} ({@code coedit.ws.event-loop}, where the
     * deployment's load balancer sends it) or {@code web} (the web server's port), as {@code -Dcoedit.bench.transport}
     * or {@code --transport} says.
     */
    static String transport() {
        return transport(System.getProperty(TRANSPORT_PROPERTY, EVENT_LOOP));
    }

    /** {@code name} when it names a transport; anything else is refused rather than run on the wrong endpoint. */
    static String transport(String name) {
        if (!name.equals(WEB) && !name.equals(EVENT_LOOP)) {
            throw new IllegalArgumentException("transport is web or event-loop, not " + name);
        }
        return name;
    }

    /** The collector options the instances start with. */
    static String instanceGc() {
        return System.getProperty("coedit.bench.instance-gc", INSTANCE_GC);
    }

    private final RedisServer redis;
    private final int redisPort;
    private final List<Process> instances = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private final List<Integer> wsPorts = new ArrayList<>();
    private final Path logs;
    private final Store store;
    private PostgresServer postgres;
    private Optional<ProcessHandle> redisProcess = Optional.empty();

    private Topology(RedisServer redis, int redisPort, Path logs, Store store) {
        this.redis = redis;
        this.redisPort = redisPort;
        this.logs = logs;
        this.store = store;
    }

    static Topology start(Path jar, int instanceCount, String heap, List<String> extraArgs) throws Exception {
        return start(jar, Store.REDIS, instanceCount, heap, extraArgs);
    }

    static Topology start(Path jar, Store store, int instanceCount, String heap, List<String> extraArgs)
            throws Exception {
        return start(List.of("-jar", jar.toString()), store, instanceCount, heap, extraArgs, transport());
    }

    /** Two instances of the {@link EventLoopRelay} on Redis, as Coedit's instances are started otherwise. */
    static Topology startEventLoopFloor() throws Exception {
        List<String> launch = List.of("-cp", System.getProperty("java.class.path"), EventLoopRelay.class.getName());
        // the floor serves its one port, whatever the transport Coedit's instances are measured on
        return start(launch, Store.REDIS, 2, "1g", List.of(), WEB);
    }

    /**
     * {@code launch}: what follows the JVM's options on an instance's command line, up to its arguments;
     * {@code transport}: where the instances serve the document endpoint.
     */
    private static Topology start(
            List<String> launch, Store store, int instanceCount, String heap, List<String> extraArgs, String transport)
            throws Exception {
        int redisPort = freePort();
        Path dir = Files.createTempDirectory("coedit-bench-redis-");
        RedisServer redis = RedisServer.newRedisServer()
                .bind("127.0.0.1")
                .port(redisPort)
                .setting("dir " + dir)
                .setting("save \"\"")
                .setting("appendonly no")
                .soutListener(line -> {})
                .serrListener(line -> {})
                .build();
        redis.start();
        Topology topology = new Topology(redis, redisPort, Files.createTempDirectory("coedit-bench-logs-"), store);
        try {
            topology.redisProcess = topology.redisProcessId().flatMap(ProcessHandle::of);
            if (store == Store.POSTGRES) {
                topology.postgres = PostgresServer.start();
            }
            for (int i = 0; i < instanceCount; i++) {
                topology.startInstance(launch, i, heap, extraArgs, transport);
            }
            for (int port : topology.ports) {
                awaitReady(port);
            }
        } catch (Exception ex) {
            topology.close();
            throw ex;
        }
        return topology;
    }

    private void startInstance(List<String> launch, int index, String heap, List<String> extraArgs, String transport)
            throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap, "-Xms" + heap));
        command.addAll(List.of(instanceGc().split(" ")));
        command.addAll(launch);
        command.addAll(List.of(
                "--server.port=" + port,
                "--coedit.cluster.mode=" + (store == Store.FILE ? "memory" : "redis"),
                "--spring.data.redis.host=127.0.0.1",
                "--spring.data.redis.port=" + redisPort,
                "--coedit.security.jwt.secret=" + SECRET,
                "--coedit.security.dev-tokens=false",
                "--coedit.cluster.instance-id=bench-" + index,
                "--spring.main.banner-mode=off",
                "--logging.level.root=WARN"));
        if (store == Store.FILE) {
            command.add("--coedit.storage.path=" + logs.resolve("data-" + index));
        }
        if (store == Store.POSTGRES) {
            command.addAll(List.of(
                    "--coedit.storage.type=postgres",
                    "--spring.datasource.url=" + postgres.jdbcUrl(),
                    "--spring.datasource.username=" + PostgresServer.USER,
                    "--spring.datasource.password="));
        }
        int wsPort = port;
        if (transport.equals(EVENT_LOOP)) {
            wsPort = freePort();
            command.addAll(List.of("--coedit.ws.event-loop.enabled=true", "--coedit.ws.event-loop.port=" + wsPort));
        }
        command.addAll(extraArgs);
        Path log = logs.resolve("instance-" + index + ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        instances.add(process);
        ports.add(port);
        wsPorts.add(wsPort);
    }

    private static void awaitReady(int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException ex) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Instance on port " + port + " did not become ready in 90 s");
    }

    int port(int instance) {
        return ports.get(instance);
    }

    /** Instance B is instance A when there is only one (the file store). */
    String wsUrl(int instance) {
        return wsUrl(instance, 0);
    }

    /**
     * As {@link #wsUrl(int)}, through loopback address number {@code address} ({@code 127.0.0.1} and up): with
     * one client address and one server address, the kernel looks for a free ephemeral port among all the
     * connections open to that address, which took a third of the load generator's CPU past 15,000 sessions.
     */
    String wsUrl(int instance, int address) {
        return "ws://127.0.0." + (1 + address) + ":" + wsPorts.get(Math.min(instance, wsPorts.size() - 1));
    }

    String httpUrl(int instance) {
        return "http://127.0.0.1:" + ports.get(Math.min(instance, ports.size() - 1));
    }

    Store store() {
        return store;
    }

    int redisPort() {
        return redisPort;
    }

    long pid(int instance) {
        return instances.get(instance).pid();
    }

    Path logs() {
        return logs;
    }

    /**
     * The processes a workload runs on, by role: the load generator (this JVM), instance A (and B when there are two)
     * and Redis, for {@link CpuUse}.
     */
    Map<String, ProcessHandle> processes() {
        Map<String, ProcessHandle> processes = new LinkedHashMap<>();
        processes.put("generator", ProcessHandle.current());
        for (int i = 0; i < instances.size(); i++) {
            processes.put(String.valueOf((char) ('A' + i)), instances.get(i).toHandle());
        }
        redisProcess.ifPresent(redis -> processes.put("Redis", redis));
        return processes;
    }

    /** Redis's process, found by the id it reports. */
    private Optional<Long> redisProcessId() {
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", redisPort));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection
                    .sync()
                    .info("server")
                    .lines()
                    .filter(line -> line.startsWith("process_id:"))
                    .map(line -> Long.parseLong(
                            line.substring("process_id:".length()).trim()))
                    .findFirst();
        } finally {
            client.shutdown();
        }
    }

    @Override
    public void close() {
        for (Process process : instances) {
            process.destroy();
        }
        for (Process process : instances) {
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        try {
            redis.stop();
        } catch (IOException ex) {
            // the process goes with the JVM anyway
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
