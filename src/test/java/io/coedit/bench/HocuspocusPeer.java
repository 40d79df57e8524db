package io.coedit.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;

/**
 * The peer the benchmark compares Coedit with, run on the same box and the same Redis: two Hocuspocus instances
 * with the Redis extension ({@code bench/hocuspocus/server.mjs}), driven by a Node load client that follows the same
 * schedule as Coedit's ({@code bench/hocuspocus/load.mjs}: one edit in flight per writer, each edit timed from its
 * intended send time, every copy of every document equal at the end). The first start installs the peer's npm
 * packages from its lock file.
 */
final class HocuspocusPeer implements AutoCloseable {

    static final Path FOLDER = Path.of("bench", "hocuspocus");

    private final List<Process> servers = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private final Path logs;

    private HocuspocusPeer(Path logs) {
        this.logs = logs;
    }

    /** Whether this machine can run the peer: Node.js and npm on the path. */
    static boolean available() {
        return runs("node", "--version") && runs("npm", "--version");
    }

    /** The peer's versions, as installed: "Hocuspocus 4.7.0 on Node.js v20.20.2". */
    static String describe() {
        String version = "?";
        try {
            version = BenchClient.JSON
                    .readTree(FOLDER.resolve("node_modules/@hocuspocus/server/package.json")
                            .toFile())
                    .get("version")
                    .asString();
        } catch (RuntimeException ex) {
            // not installed: the report says so
        }
        return "Hocuspocus " + version + " on Node.js "
                + output("node", "--version").trim();
    }

    static HocuspocusPeer start(int redisPort) throws Exception {
        install();
        HocuspocusPeer peer = new HocuspocusPeer(Files.createTempDirectory("coedit-bench-hocuspocus-"));
        try {
            for (int i = 0; i < 2; i++) {
                peer.startServer(redisPort, "hocuspocus-" + i);
            }
        } catch (Exception ex) {
            peer.close();
            throw ex;
        }
        return peer;
    }

    private static void install() throws IOException, InterruptedException {
        if (Files.isDirectory(FOLDER.resolve("node_modules").resolve("@hocuspocus"))) {
            return;
        }
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
                .directory(FOLDER.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            throw new IllegalStateException("npm ci in " + FOLDER + " failed:\n" + output);
        }
    }

    private void startServer(int redisPort, String name) throws Exception {
        int port = Topology.freePort();
        Process server = new ProcessBuilder(
                        "node", "server.mjs", Integer.toString(port), Integer.toString(redisPort), name)
                .directory(FOLDER.toFile())
                .redirectErrorStream(true)
                .start();
        servers.add(server);
        ports.add(port);
        Path log = logs.resolve(name + ".log");
        CompletableFuture<Void> listening = new CompletableFuture<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader lines = new BufferedReader(
                                    new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
                            BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                        String line;
                        while ((line = lines.readLine()) != null) {
                            if (line.startsWith("listening on")) {
                                listening.complete(null);
                            }
                            out.write(line);
                            out.newLine();
                            out.flush();
                        }
                    } catch (IOException ex) {
                        // the process ended
                    }
                    listening.completeExceptionally(
                            new IllegalStateException(name + " ended before listening: see " + log));
                },
                name + "-log");
        reader.setDaemon(true);
        reader.start();
        listening.get(60, TimeUnit.SECONDS);
    }

    /**
     * The same workload as {@link Workloads#relay}: {@code rate} edits/s over {@code docs} documents, writers on the
     * first instance, readers on the second.
     */
    Workloads.Run relay(
            String name,
            double rate,
            int docs,
            int writersPerDoc,
            int readersPerDoc,
            double seconds,
            double warmupSeconds)
            throws Exception {
        Path out = Files.createTempFile(logs, "run-", ".json");
        List<String> command = List.of(
                "node",
                "load.mjs",
                "--a=ws://127.0.0.1:" + ports.get(0),
                "--b=ws://127.0.0.1:" + ports.get(1),
                "--rate=" + rate,
                "--docs=" + docs,
                "--writers=" + writersPerDoc,
                "--readers=" + readersPerDoc,
                "--seconds=" + seconds,
                "--warmup=" + warmupSeconds,
                "--name=" + name.replaceAll("[^A-Za-z0-9]", ""),
                "--out=" + out);
        Process load = new ProcessBuilder(command)
                .directory(FOLDER.toFile())
                .redirectErrorStream(true)
                .redirectOutput(logs.resolve("load.log").toFile())
                .start();
        long limit = (long) (seconds + warmupSeconds) + 240;
        if (!load.waitFor(limit, TimeUnit.SECONDS)) {
            load.destroyForcibly();
            return failed(name, rate, "the load client did not finish in " + limit + " s");
        }
        if (Files.size(out) == 0) {
            return failed(
                    name,
                    rate,
                    "the load client wrote no result (exit " + load.exitValue() + "): see " + logs.resolve("load.log"));
        }
        JsonNode result = BenchClient.JSON.readTree(Files.readString(out, StandardCharsets.UTF_8));
        List<String> failures = new ArrayList<>();
        result.get("failures").forEach(failure -> failures.add(failure.asString()));
        Histogram ack = histogram(result.get("ack"), "ack", failures);
        Histogram delivery = histogram(result.get("delivery"), "delivery", failures);
        return new Workloads.Run(
                name,
                rate,
                result.get("achievedRate").asDouble(),
                ack,
                delivery,
                result.get("ops").asLong(),
                failures,
                Map.of(),
                Map.of(),
                0);
    }

    private static Workloads.Run failed(String name, double rate, String why) {
        return new Workloads.Run(
                name,
                rate,
                0,
                new Histogram(60_000_000L, 3),
                new Histogram(60_000_000L, 3),
                0,
                List.of(why),
                Map.of(),
                Map.of(),
                0);
    }

    /** A negative latency is a bug of the load client's timing: the run fails with it instead of the benchmark. */
    private static Histogram histogram(JsonNode micros, String what, List<String> failures) {
        Histogram histogram = new Histogram(60_000_000L, 3);
        long negative = 0;
        for (JsonNode value : micros) {
            if (value.asLong() < 0) {
                negative++;
            } else {
                histogram.recordValue(Math.min(60_000_000L, value.asLong()));
            }
        }
        if (negative > 0) {
            failures.add(negative + " " + what + " latencies were negative: the load client measured before it sent");
        }
        return histogram;
    }

    private static boolean runs(String... command) {
        return output(command) != null;
    }

    /** What the command printed, or null when it could not run or failed. */
    private static String output(String... command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0 ? out : null;
        } catch (IOException ex) {
            return null;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void close() {
        for (Process server : servers) {
            server.destroy();
        }
        for (Process server : servers) {
            try {
                if (!server.waitFor(10, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                server.destroyForcibly();
            }
        }
    }
}
