package io.coedit.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.coedit.support.Tokens;

/**
 * Where an idle session's heap goes: opens N idle joined sessions on one instance and prints the heap after GC and
 * the top of its class histogram ({@code jcmd GC.class_histogram}), before and after. For profiling by hand:
 * {@code java -cp <test classpath> io.coedit.bench.MemoryProbe 2000 [instance args...]}.
 */
public final class MemoryProbe {

    private MemoryProbe() {}

    public static void main(String[] args) throws Exception {
        int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        List<String> extra = args.length > 1 ? List.of(args).subList(1, args.length) : List.of();
        try (Topology topology = Topology.start(Benchmark.jar(Path.of("target")), 1, "1g", extra);
                GeneratorSockets sockets = new GeneratorSockets(2)) {
            long pid = topology.pid(0);
            String histogramBefore = Workloads.classHistogram(pid);
            List<BenchClient> clients = new ArrayList<>();
            List<CompletableFuture<Void>> opened = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                BenchClient client = new BenchClient("p" + i, BenchClient.Events.NONE);
                opened.add(client.open(
                        sockets,
                        topology.wsUrl(0),
                        "probe-" + (i / 100),
                        Tokens.user("p" + (i % 1000)).sign()));
                clients.add(client);
                if (opened.size() == 200) {
                    CompletableFuture.allOf(opened.toArray(CompletableFuture[]::new))
                            .get(60, TimeUnit.SECONDS);
                    opened.clear();
                }
            }
            CompletableFuture.allOf(opened.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            String histogramAfter = Workloads.classHistogram(pid);
            Files.writeString(
                    Path.of(System.getProperty("java.io.tmpdir"), "coedit-probe-histogram.txt"), histogramAfter);
            long before = Workloads.liveBytes(histogramBefore);
            long after = Workloads.liveBytes(histogramAfter);
            System.out.printf(
                    "%d sessions: %.1f KiB of heap each after GC (%d -> %d live bytes)%n",
                    sessions, (after - before) / 1024.0 / sessions, before, after);
            System.out.println("--- class histogram before ---\n" + top(histogramBefore));
            System.out.println("--- class histogram with the sessions ---\n" + top(histogramAfter));
            clients.forEach(BenchClient::abort);
        }
        System.exit(0);
    }

    private static String top(String histogram) {
        return String.join("\n", histogram.lines().limit(32).toList());
    }
}
