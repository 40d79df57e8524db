package io.coedit.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

import org.HdrHistogram.Histogram;

/**
 * Coedit's load generator: {@code ./mvnw -Pbench verify} builds the jar, starts Redis and two instances, runs every
 * workload, and writes the figures and a chart into {@code docs/benchmarks.md}. {@code --smoke} runs each workload
 * for a few seconds at a small size and checks correctness only (what {@code BenchmarkSmokeIT} does in every build).
 *
 * <p>Arguments: {@code --smoke}, {@code --out=<markdown file>} (default: print only), {@code --only=relay,hot,...}
 * ({@code hot2}: the hot document with its writers on both instances, Coedit only; {@code loopfloor}: the relay on
 * the {@link EventLoopRelay}), {@code --hot2-rate=N} (its
 * rate, default 1,000 ops/s),
 * {@code --sessions=N} (idle sessions of the capacity workload, default 20,000 or 1,000 below the open-files limit,
 * whichever is lower), {@code --stores=file,postgres} (the stores of the storage workload),
 * {@code --jar=<path>} (another build
 * of Coedit, e.g. the one before a change, measured the same way), {@code --runs=N} (runs of the relay, hot-document
 * and fan-out workloads, interleaved with the peer's, the median reported; default 3, 1 in a smoke run).
 */
public final class Benchmark {

    /** What one full run measured, for the report. */
    record Report(
            List<Workloads.Run> runs,
            List<Workloads.Run> sweep,
            List<Workloads.Capacity> capacity,
            Workloads.Run floor,
            Workloads.Run floorTwoHops,
            String knee,
            List<StoreRuns> stores,
            PeerRuns peer,
            List<String> spreads,
            List<Workloads.Run> eventLoopFloor) {

        boolean correct() {
            return runs.stream().allMatch(Workloads.Run::correct)
                    && sweep.stream().allMatch(Workloads.Run::correct)
                    && eventLoopFloor.stream().allMatch(Workloads.Run::correct)
                    && capacity.stream().allMatch(c -> c.failures().isEmpty())
                    && stores.stream().flatMap(store -> store.all().stream()).allMatch(Workloads.Run::correct)
                    && peer.all().stream().allMatch(Workloads.Run::correct);
        }

        /** The first few failures of each workload, and how many there were. */
        List<String> failures() {
            List<String> all = new ArrayList<>();
            List<Workloads.Run> every = new ArrayList<>(runs);
            every.addAll(sweep);
            every.addAll(eventLoopFloor);
            stores.forEach(store -> every.addAll(store.all()));
            peer.all().forEach(run -> every.add(run.renamed("Hocuspocus " + run.name())));
            for (Workloads.Run run : every) {
                run.failures().stream().limit(3).forEach(f -> all.add(run.name() + ": " + f));
                if (run.failures().size() > 3) {
                    all.add(run.name() + ": " + (run.failures().size() - 3) + " more");
                }
            }
            capacity.forEach(c -> c.failures().stream().limit(3).forEach(f -> all.add("capacity: " + f)));
            return all;
        }
    }

    /** The relay, the hot document and a sweep on one store other than Redis (the storage workload). */
    record StoreRuns(
            Topology.Store store, int instances, List<Workloads.Run> runs, List<Workloads.Run> sweep, String knee) {

        List<Workloads.Run> all() {
            List<Workloads.Run> all = new ArrayList<>(runs);
            all.addAll(sweep);
            return all;
        }
    }

    /** The peer's runs of the relay, hot-document and fan-out workloads and its sweep, named as Coedit's. */
    record PeerRuns(List<Workloads.Run> runs, List<Workloads.Run> sweep, String knee) {

        static final PeerRuns NONE = new PeerRuns(List.of(), List.of(), "not measured");

        List<Workloads.Run> all() {
            List<Workloads.Run> all = new ArrayList<>(runs);
            all.addAll(sweep);
            return all;
        }
    }

    /** One way to run the relay workload: Coedit's {@link Workloads} or the {@link HocuspocusPeer}. */
    @FunctionalInterface
    interface Relay {
        Workloads.Run relay(
                String name,
                double rate,
                int docs,
                int writersPerDoc,
                int readersPerDoc,
                double seconds,
                double warmupSeconds)
                throws Exception;
    }

    /** One workload, run on a {@link Relay}. */
    @FunctionalInterface
    private interface Workload {
        Workloads.Run on(Relay relay) throws Exception;
    }

    /** Runs a workload on Coedit and then on the peer, when the peer runs. */
    @FunctionalInterface
    private interface Interleaved {
        void run(Workload workload) throws Exception;
    }

    /** How long the instances run unmeasured before the first workload (not in smoke runs). */
    static final double WARM_UP_SECONDS = 60;

    /** The head of every table of runs that {@code rows} fills. */
    private static final String RUNS_TABLE_HEADER = "| workload | rate achieved | ack p50 | ack p99 | delivery p50"
            + " | delivery p99 | delivery p99.9 | delivery max | p99 / floor | correct |\n"
            + "|---|---|---|---|---|---|---|---|---|---|\n";

    /** What the event-loop floor's runs are named with, before the workload's name. */
    static final String EVENT_LOOP_FLOOR = "event-loop floor: ";

    /** And then the relay's widest shape, 10,000 ops/s over 1,000 documents, unmeasured too. */
    static final double WIDE_WARM_UP_SECONDS = 20;

    /**
     * The rate of {@link #HOT_ON_BOTH}; {@code --hot2-rate} tries another (on PostgreSQL this box runs out of CPU
     * well below 1,000 ops/s of it).
     */
    private static final int HOT_ON_BOTH_RATE = 1000;

    /** The workload {@code hot2} runs on Coedit alone: the peer's client puts every writer on one instance. */
    static final String HOT_ON_BOTH = hotOnBothName(HOT_ON_BOTH_RATE);

    /** Runs of each interleaved workload in a full run, the median reported (the condition). */
    static final int DEFAULT_REPEATS = 3;

    private Benchmark() {}

    public static void main(String[] args) throws Exception {
        boolean smoke = List.of(args).contains("--smoke");
        String out = null;
        String only = "relay,relay10k,hot,hot2,fanout,capacity,relayidle,saturation,loopfloor,storage";
        // every idle session is an open file on both sides: stay under this process's limit (and the instance's)
        int sessions = (int) Math.min(20_000, openFilesSoftLimit() - 1_000);
        Path jarArg = null;
        List<Topology.Store> stores = List.of(Topology.Store.FILE, Topology.Store.POSTGRES);
        boolean peer = true;
        int repeats = smoke ? 1 : DEFAULT_REPEATS;
        int hotOnBothRate = HOT_ON_BOTH_RATE;
        for (String arg : args) {
            if (arg.equals("--peer=none")) {
                peer = false;
            }
            if (arg.startsWith("--stores=")) {
                stores = Stream.of(arg.substring(9).split(","))
                        .map(name -> Topology.Store.valueOf(name.toUpperCase(Locale.ROOT)))
                        .toList();
            }
            if (arg.startsWith("--jar=")) {
                jarArg = Path.of(arg.substring(6));
            }
            if (arg.startsWith("--runs=")) {
                repeats = Integer.parseInt(arg.substring(7));
            }
            if (arg.startsWith("--hot2-rate=")) {
                hotOnBothRate = Integer.parseInt(arg.substring(12));
            }
            if (arg.startsWith("--sessions=")) {
                sessions = Integer.parseInt(arg.substring(11));
            }
            if (arg.startsWith("--out=")) {
                out = arg.substring(6);
            }
            if (arg.startsWith("--only=")) {
                only = arg.substring(7);
            }
            if (arg.startsWith("--transport=")) {
                System.setProperty(Topology.TRANSPORT_PROPERTY, Topology.transport(arg.substring(12)));
            }
        }
        if (peer && !HocuspocusPeer.available()) {
            System.err.println("The Hocuspocus peer needs Node.js and npm on the path (Debian: apt-get install nodejs"
                    + " npm); --peer=none runs the benchmark without it.");
            System.exit(2);
        }
        Report report = run(
                jarArg != null ? jarArg : jar(Path.of("target")),
                smoke,
                List.of(only.split(",")),
                sessions,
                stores,
                peer,
                repeats,
                hotOnBothRate);
        String markdown = markdown(report, smoke);
        System.out.println(markdown);
        if (out != null) {
            Path file = Path.of(out);
            chart(
                    report.sweep(),
                    report.peer().sweep(),
                    file.resolveSibling("images").resolve("benchmark-latency.png"));
            writeBetweenMarkers(file, markdown);
        }
        if (!report.correct()) {
            System.err.println("BENCHMARK FAILED: " + report.failures());
            System.exit(1);
        }
        System.exit(0);
    }

    static Report run(Path jar, boolean smoke, List<String> only, boolean peer) throws Exception {
        return run(
                jar,
                smoke,
                only,
                smoke ? 200 : 20_000,
                List.of(Topology.Store.FILE, Topology.Store.POSTGRES),
                peer,
                smoke ? 1 : DEFAULT_REPEATS,
                HOT_ON_BOTH_RATE);
    }

    /**
     * Every workload in {@code only}; with {@code peer}, the relay, hot-document, fan-out and saturation workloads
     * also on Hocuspocus, each right after Coedit's, on the same Redis. The relay, hot-document and fan-out workloads
     * run {@code repeats} times each (Coedit, peer, Coedit, peer, ...) and report their median run.
     */
    static Report run(
            Path jar,
            boolean smoke,
            List<String> only,
            int sessions,
            List<Topology.Store> otherStores,
            boolean peer,
            int repeats,
            int hotOnBothRate)
            throws Exception {
        List<Workloads.Run> runs = new ArrayList<>();
        List<Workloads.Run> sweep = new ArrayList<>();
        List<Workloads.Capacity> capacity = new ArrayList<>();
        Workloads.Run floor;
        Workloads.Run floorTwoHops;
        String knee = "not measured";
        double seconds = smoke ? 3 : 20;
        double warmup = smoke ? 1 : 5;
        List<Workloads.Run> peerRuns = new ArrayList<>();
        List<Workloads.Run> peerSweep = new ArrayList<>();
        List<String> spreads = new ArrayList<>();
        String peerKnee = "not measured";
        try (Topology topology = Topology.start(jar, 2, "1g", List.of());
                HocuspocusPeer hocuspocus = peer ? HocuspocusPeer.start(topology.redisPort()) : null;
                Workloads workloads = new Workloads(topology)) {
            floor = workloads.redisFloor(smoke ? 200 : 1000, seconds, 1);
            floorTwoHops = workloads.redisFloor(smoke ? 200 : 1000, seconds, 2);
            boolean measuresRedisMode = only.stream().anyMatch(workload -> !workload.equals("storage"));
            if (!smoke && measuresRedisMode) {
                // a warm-up that lost or doubled an op is reported (and fails the run) like any workload
                runs.addAll(warmUp(workloads::relay));
                if (hocuspocus != null) {
                    peerRuns.addAll(warmUp(hocuspocus::relay));
                }
            }
            // each workload on Coedit, then the same on the peer: interleaved, so both see the same machine; repeated,
            // and the median run reported, since one run on a shared machine can be far off either way
            Relay coedit = workloads::relay;
            Interleaved both = workload -> {
                List<Workloads.Run> ours = new ArrayList<>();
                List<Workloads.Run> theirs = new ArrayList<>();
                for (int i = 0; i < repeats; i++) {
                    ours.add(workload.on(coedit));
                    if (hocuspocus != null) {
                        theirs.add(workload.on(hocuspocus::relay));
                    }
                }
                runs.add(Repeats.median(ours));
                if (repeats > 1) {
                    spreads.add(Repeats.spread(ours));
                }
                if (hocuspocus != null) {
                    peerRuns.add(Repeats.median(theirs));
                    if (repeats > 1) {
                        spreads.add("Hocuspocus " + Repeats.spread(theirs));
                    }
                }
            };
            if (only.contains("relay")) {
                both.run(relay ->
                        relay.relay("relay 100 ops/s, 100 docs", 100, smoke ? 10 : 100, 1, 1, seconds, warmup));
                both.run(relay -> relay.relay(
                        "relay 1,000 ops/s, 100 docs", smoke ? 300 : 1000, smoke ? 10 : 100, 1, 1, seconds, warmup));
            }
            if (only.contains("relay10k") && !smoke) {
                both.run(relay -> relay.relay("relay 10,000 ops/s, 1,000 docs", 10_000, 1000, 1, 1, seconds, warmup));
            }
            if (only.contains("hot")) {
                both.run(relay -> relay.relay(
                        "hot document, 50 writers, 1,000 ops/s",
                        smoke ? 200 : 1000,
                        1,
                        smoke ? 10 : 50,
                        1,
                        seconds,
                        warmup));
            }
            if (only.contains("hot2")) {
                List<Workloads.Run> ours = new ArrayList<>();
                for (int i = 0; i < repeats; i++) {
                    ours.add(hotOnBoth(workloads, "", hotOnBothRate, smoke, seconds, warmup));
                }
                runs.add(Repeats.median(ours));
                if (repeats > 1) {
                    spreads.add(Repeats.spread(ours));
                }
            }
            if (only.contains("fanout")) {
                both.run(relay -> relay.relay(
                        "fan-out, 1 op/100 ms to 500 receivers", 10, 1, 1, smoke ? 50 : 500, seconds, warmup));
            }
            if (only.contains("capacity")) {
                try {
                    capacity.add(workloads.capacity(0, sessions, smoke ? 1 : WARM_UP_SECONDS));
                } catch (Exception ex) {
                    // reported, not fatal: the other workloads' figures are still worth having
                    capacity.add(new Workloads.Capacity(
                            sessions,
                            0,
                            0,
                            0,
                            0,
                            0,
                            List.of("could not run: " + ex + " (open files limit: " + openFilesLimit()
                                    + "; raise it with ulimit -n)")));
                }
            }
            if (only.contains("relayidle") && !smoke) {
                int idle = (int) Math.min(10_000, openFilesSoftLimit() / 2);
                capacity.add(workloads.capacity(1, idle, 0, () -> {
                    runs.add(workloads.relay(
                            "relay 1,000 ops/s, 100 docs, " + idle + " idle sessions on B",
                            1000,
                            100,
                            1,
                            1,
                            seconds,
                            warmup));
                    return null;
                }));
            }
            if (only.contains("saturation")) {
                knee = sweep(workloads::relay, smoke, sweep);
                if (hocuspocus != null) {
                    peerKnee = sweep(hocuspocus::relay, smoke, peerSweep);
                }
            }
        }
        List<Workloads.Run> eventLoopFloor =
                only.contains("loopfloor") ? runEventLoopFloor(smoke, seconds, warmup) : List.of();
        List<StoreRuns> stores = new ArrayList<>();
        if (only.contains("storage")) {
            for (Topology.Store store : otherStores) {
                int instances = store == Topology.Store.FILE ? 1 : 2;
                try (Topology topology = Topology.start(jar, store, instances, "1g", List.of());
                        Workloads workloads = new Workloads(topology)) {
                    String on = store.label + ": ";
                    List<Workloads.Run> storeRuns = new ArrayList<>();
                    if (!smoke) {
                        // these are freshly started instances too: unwarmed, the first workload on PostgreSQL fell
                        // behind its schedule while the JIT compiled and never caught up (p50 1.5 s at 1,000 ops/s)
                        storeRuns.addAll(warmUp(workloads::relay));
                    }
                    storeRuns.add(workloads.relay(
                            on + "relay 1,000 ops/s, 100 docs",
                            smoke ? 300 : 1000,
                            smoke ? 10 : 100,
                            1,
                            1,
                            seconds,
                            warmup));
                    storeRuns.add(workloads.relay(
                            on + "hot document, 50 writers, 1,000 ops/s",
                            smoke ? 200 : 1000,
                            1,
                            smoke ? 10 : 50,
                            1,
                            seconds,
                            warmup));
                    if (instances > 1) {
                        storeRuns.add(hotOnBoth(workloads, on, hotOnBothRate, smoke, seconds, warmup));
                    }
                    List<Workloads.Run> storeSweep = new ArrayList<>();
                    String storeKnee = sweep(workloads::relay, smoke, storeSweep);
                    storeSweep.replaceAll(run -> run.renamed(on + run.name()));
                    stores.add(new StoreRuns(store, instances, storeRuns, storeSweep, storeKnee));
                }
            }
        }
        return new Report(
                runs,
                sweep,
                capacity,
                floor,
                floorTwoHops,
                knee,
                stores,
                peer ? new PeerRuns(peerRuns, peerSweep, peerKnee) : PeerRuns.NONE,
                spreads,
                eventLoopFloor);
    }

    /**
     * The relay at 1,000 and at 10,000 ops/s on two {@link EventLoopRelay} instances and a Redis of their own, warmed
     * up first: what this box allows a relay of Coedit's protocol whose instances hand an op to no other thread. One
     * run each: a reference, as the Redis floor is.
     */
    private static List<Workloads.Run> runEventLoopFloor(boolean smoke, double seconds, double warmup)
            throws Exception {
        List<Workloads.Run> runs = new ArrayList<>();
        try (Topology topology = Topology.startEventLoopFloor();
                Workloads workloads = new Workloads(topology)) {
            if (!smoke) {
                List<Workloads.Run> warmUps = List.of(
                        workloads.relay(EVENT_LOOP_FLOOR + "warm-up relay", 1000, 100, 1, 1, 15, 0),
                        workloads.relay(EVENT_LOOP_FLOOR + "warm-up relay, 1,000 docs", 10_000, 1000, 1, 1, 10, 0));
                warmUps.stream().filter(run -> !run.correct()).forEach(runs::add);
            }
            runs.add(workloads.relay(
                    EVENT_LOOP_FLOOR + "relay 1,000 ops/s, 100 docs",
                    smoke ? 300 : 1000,
                    smoke ? 10 : 100,
                    1,
                    1,
                    seconds,
                    warmup));
            if (!smoke) {
                runs.add(workloads.relay(
                        EVENT_LOOP_FLOOR + "relay 10,000 ops/s, 1,000 docs", 10_000, 1000, 1, 1, seconds, warmup));
            }
        }
        return runs;
    }

    /**
     * A minute of the relay, the hot document and the fan-out, not measured, before anything is measured on a topology
     * (Redis mode, and each other store): freshly started instances spend a third of their CPU compiling (JFR and
     * async-profiler on the instances showed the C2 compiler thread using 30 to 60% of a core for the first minutes),
     * and production instances run for days, not seconds. Then 20 s of 10,000 ops/s over 1,000 documents: a
     * thousand documents and an overload take paths the 100 documents do not (the instances compiled hundreds of
     * methods in the first 10,000 ops/s run's measured window), and three such runs back to back achieved 4,923,
     * 5,869 and 7,280 ops/s, A's CPU per op falling from 183 to 124 µs.
     */
    private static List<Workloads.Run> warmUp(Relay relay) throws Exception {
        List<Workloads.Run> warmUps = List.of(
                relay.relay("warm-up relay", 1000, 100, 1, 1, WARM_UP_SECONDS / 2.0, 0),
                relay.relay("warm-up hot document", 500, 1, 50, 1, WARM_UP_SECONDS / 4.0, 0),
                relay.relay("warm-up fan-out", 10, 1, 1, 500, WARM_UP_SECONDS / 4.0, 0),
                relay.relay("warm-up relay, 1,000 docs", 10_000, 1000, 1, 1, WIDE_WARM_UP_SECONDS, 0));
        return warmUps.stream().filter(run -> !run.correct()).toList();
    }

    /** The hot document with half its writers on each instance ({@link #HOT_ON_BOTH}), its name after {@code on}. */
    private static Workloads.Run hotOnBoth(
            Workloads workloads, String on, int rate, boolean smoke, double seconds, double warmup) throws Exception {
        return workloads.relay(on + hotOnBothName(rate), smoke ? 200 : rate, 1, smoke ? 10 : 50, 1, seconds, warmup, 2);
    }

    private static String hotOnBothName(int rate) {
        return String.format(Locale.ROOT, "hot document, 50 writers on both instances, %,d ops/s", rate);
    }

    /** The relay at rising rates until p99 passes 50 ms, errors appear or under 90% of the rate is achieved. */
    private static String sweep(Relay workloads, boolean smoke, List<Workloads.Run> sweep) throws Exception {
        String knee = "not measured";
        double[] rates =
                smoke ? new double[] {100, 300} : new double[] {500, 1000, 2000, 5000, 10_000, 15_000, 20_000, 30_000};
        for (double rate : rates) {
            int docs = (int) Math.max(smoke ? 10 : 100, rate / 10);
            Workloads.Run step = workloads.relay(
                    String.format(Locale.ROOT, "sweep %.0f ops/s", rate),
                    rate,
                    docs,
                    1,
                    1,
                    smoke ? 2 : 10,
                    smoke ? 1 : 3);
            sweep.add(step);
            double p99 = step.remote().getValueAtPercentile(99) / 1000.0;
            if (p99 > 50 || !step.correct() || step.achievedRate() < rate * 0.9) {
                return String.format(
                        Locale.ROOT,
                        "below %.0f ops/s (there: p99 %.1f ms, %.0f ops/s achieved)",
                        rate,
                        p99,
                        step.achievedRate());
            }
            knee = String.format(Locale.ROOT, "above %.0f ops/s", rate);
        }
        return knee;
    }

    /** This process's limit on open files: every session of the capacity workload is one, on each side. */
    static String openFilesLimit() {
        try {
            return Files.readAllLines(Path.of("/proc/self/limits")).stream()
                    .filter(line -> line.startsWith("Max open files"))
                    .findFirst()
                    .orElse("unknown")
                    .trim();
        } catch (IOException ex) {
            return "unknown";
        }
    }

    static long openFilesSoftLimit() {
        String line = openFilesLimit();
        String[] fields = line.split("\\s+");
        try {
            return fields.length > 3 ? Long.parseLong(fields[3]) : 20_000;
        } catch (NumberFormatException ex) {
            return 1_000_000; // unlimited
        }
    }

    static Path jar(Path target) throws IOException {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "coedit-*.jar")) {
            for (Path jar : jars) {
                if (!jar.toString().endsWith("-plain.jar")) {
                    return jar.toAbsolutePath();
                }
            }
        }
        throw new IllegalStateException("No coedit jar in " + target.toAbsolutePath() + ": run ./mvnw package first");
    }

    /** "p50 …, p99 …, max …" of {@code histogram}, in ms. */
    private static String percentiles(Histogram histogram) {
        return "p50 " + ms(histogram, 50) + ", p99 " + ms(histogram, 99) + ", max " + ms(histogram, 100);
    }

    static String ms(Histogram histogram, double percentile) {
        if (histogram.getTotalCount() == 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.2f", histogram.getValueAtPercentile(percentile) / 1000.0);
    }

    static String markdown(Report report, boolean smoke) {
        StringBuilder md = new StringBuilder();
        md.append("Run ")
                .append(LocalDate.now())
                .append(smoke ? " (smoke run: tiny sizes, correctness only)" : "")
                .append(" on ")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" cores, Java ")
                .append(System.getProperty("java.version"))
                .append(". Two instances (`-Xmx1g ")
                .append(Topology.instanceGc())
                .append("`, Redis mode, sessions on ")
                .append(
                        Topology.transport().equals(Topology.EVENT_LOOP)
                                ? "the event loop endpoint, `coedit.ws.event-loop`"
                                : "the web server's endpoint")
                .append("), Redis and")
                .append(" the load generator on the same machine. Latencies in ms, each op timed from its intended")
                .append(" send time")
                .append(
                        smoke
                                ? ""
                                : String.format(
                                        Locale.ROOT,
                                        ", after %.0f s of unmeasured warm-up (the relay at 1,000 and at"
                                                + " 10,000 ops/s, the hot document and the fan-out)",
                                        WARM_UP_SECONDS + WIDE_WARM_UP_SECONDS))
                .append(".\n\n");
        double floorP99 = report.floor().remote().getValueAtPercentile(99) / 1000.0;
        md.append("Redis pub/sub floor (publish to subscriber, ")
                .append(String.format(Locale.ROOT, "%.0f", report.floor().targetRate()))
                .append(" msgs/s): ")
                .append(percentiles(report.floor().remote()))
                .append("; two hops (publish, forward, subscribe: the four loopback legs of a relayed op): ")
                .append(percentiles(report.floorTwoHops().remote()))
                .append(".\n\n");
        md.append(RUNS_TABLE_HEADER);
        List<Workloads.Run> all = new ArrayList<>(report.runs());
        all.addAll(report.sweep());
        rows(md, all, floorP99);
        if (!report.spreads().isEmpty()) {
            md.append("\nThe relay, hot-document and fan-out rows are each the median of their runs by delivery")
                    .append(" p99, each run of Coedit followed by the same on the peer;")
                    .append(" the delivery p99 of every run, in order:\n\n");
            report.spreads().forEach(line -> md.append("- ").append(line).append('\n'));
        }
        md.append("\nSaturation knee (p99 over 50 ms, errors, or under 90% of the rate): ")
                .append(report.knee())
                .append(".\n\n");
        if (!report.eventLoopFloor().isEmpty()) {
            eventLoopFloor(md, report, all, floorP99);
        }
        List<Workloads.Run> measuredCpu = new ArrayList<>(all);
        measuredCpu.addAll(report.eventLoopFloor());
        report.stores().forEach(store -> measuredCpu.addAll(store.all()));
        cpu(md, measuredCpu);
        waits(md, measuredCpu);
        if (!report.peer().all().isEmpty()) {
            peer(md, report, all, floorP99);
        }
        if (!report.stores().isEmpty()) {
            md.append("Other stores, same generator, same run: `file` is one instance on its SQLite file (writers and")
                    .append(" readers on it), `postgres` two instances on one PostgreSQL with Redis as the relay")
                    .append(" (writers on A, readers on B); each started fresh and warmed up as above first.\n\n")
                    .append(RUNS_TABLE_HEADER);
            for (StoreRuns store : report.stores()) {
                rows(md, store.all(), floorP99);
            }
            md.append("\n");
            for (StoreRuns store : report.stores()) {
                md.append("Knee on ")
                        .append(store.store().label)
                        .append(": ")
                        .append(store.knee())
                        .append(".\n");
            }
            md.append("\n");
        }
        for (Workloads.Capacity c : report.capacity()) {
            md.append("Capacity: ")
                    .append(c.sessions())
                    .append(" idle joined sessions on one instance: ")
                    .append(String.format(Locale.ROOT, "%.1f KiB", c.heapBytesPerSession() / 1024))
                    .append(" of heap each after GC, ")
                    .append(c.threads())
                    .append(" threads, connect+join at ")
                    .append(String.format(Locale.ROOT, "%.0f/s", c.connectPerSecond()))
                    .append(
                            c.warmUpSeconds() > 0
                                    ? String.format(
                                            Locale.ROOT, " (after %.0f s of unmeasured connects)", c.warmUpSeconds())
                                    : "")
                    .append(", ")
                    .append(c.answered())
                    .append(" answered a ping.\n\n");
        }
        if (!report.correct()) {
            md.append("**Failures:** ")
                    .append(String.join("; ", report.failures()))
                    .append("\n\n");
        }
        md.append("![Latency percentiles against rate](images/benchmark-latency.png)\n");
        return md.toString();
    }

    /** The event-loop floor's runs, then Coedit's rate, delivery p99 and instances' CPU per op beside each. */
    private static void eventLoopFloor(StringBuilder md, Report report, List<Workloads.Run> coedit, double floorP99) {
        md.append("Event-loop floor, same generator, on a Redis of its own: two instances of the benchmark's")
                .append(" `EventLoopRelay`, Coedit's protocol with the WebSocket server and the Redis client of an")
                .append(" instance on one event loop thread, and the least a relay does (one script call per op:")
                .append(" INCR, RPUSH, PUBLISH; no token check, no transform, no limits). One run each.\n\n")
                .append(RUNS_TABLE_HEADER);
        rows(md, report.eventLoopFloor(), floorP99);
        md.append('\n');
        for (Workloads.Run reference : report.eventLoopFloor()) {
            String name = reference.name().substring(EVENT_LOOP_FLOOR.length());
            coedit.stream()
                    .filter(ours -> ours.name().equals(name))
                    .findFirst()
                    .ifPresent(ours -> md.append(String.format(
                            Locale.ROOT,
                            "- %s: Coedit %.0f ops/s achieved against the event-loop floor's %.0f;"
                                    + " delivery p99 %s against %s ms; its instances' CPU per op (A and B) %.0f µs"
                                    + " against %.0f.\n",
                            name,
                            ours.achievedRate(),
                            reference.achievedRate(),
                            ms(ours.remote(), 99),
                            ms(reference.remote(), 99),
                            instancesCpu(ours),
                            instancesCpu(reference))));
        }
        md.append('\n');
    }

    private static double instancesCpu(Workloads.Run run) {
        return run.cpuMicrosPerOp().getOrDefault("A", 0.0)
                + run.cpuMicrosPerOp().getOrDefault("B", 0.0);
    }

    /** The peer's own figures, then each workload beside Coedit's, with the ratio of their p99s. */
    private static void peer(StringBuilder md, Report report, List<Workloads.Run> coedit, double floorP99) {
        md.append("Peer, same run, same Redis, each workload right after Coedit's: ")
                .append(HocuspocusPeer.describe())
                .append(", two instances with the Redis extension, driven by `bench/hocuspocus/load.mjs` (the same")
                .append(" schedule; an edit is acknowledged by the server's sync status).\n\n")
                .append(RUNS_TABLE_HEADER);
        rows(md, report.peer().all(), floorP99);
        md.append("\nHocuspocus knee: ")
                .append(report.peer().knee())
                .append(".\n\n")
                .append("| workload | Coedit rate | Coedit delivery p50 | Coedit delivery p99 | Hocuspocus rate | ")
                .append("Hocuspocus delivery p50 | Hocuspocus delivery p99 | p99 Coedit / Hocuspocus |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        for (Workloads.Run theirs : report.peer().all()) {
            coedit.stream()
                    .filter(ours -> ours.name().equals(theirs.name()))
                    .findFirst()
                    .ifPresent(ours -> {
                        double ourP99 = ours.remote().getTotalCount() == 0
                                ? 0
                                : ours.remote().getValueAtPercentile(99);
                        double theirP99 = theirs.remote().getTotalCount() == 0
                                ? 0
                                : theirs.remote().getValueAtPercentile(99);
                        md.append("| ")
                                .append(ours.name())
                                .append(" | ")
                                .append(String.format(Locale.ROOT, "%.0f", ours.achievedRate()))
                                .append(" | ")
                                .append(ms(ours.remote(), 50))
                                .append(" | ")
                                .append(ms(ours.remote(), 99))
                                .append(" | ")
                                .append(String.format(Locale.ROOT, "%.0f", theirs.achievedRate()))
                                .append(" | ")
                                .append(ms(theirs.remote(), 50))
                                .append(" | ")
                                .append(ms(theirs.remote(), 99))
                                .append(" | ")
                                .append(theirP99 > 0 ? String.format(Locale.ROOT, "%.2f", ourP99 / theirP99) : "–")
                                .append(" |\n");
                    });
        }
        md.append("\n");
    }

    /**
     * Each run's CPU per op by process, beside what the box has per op at that rate: the processes together cannot
     * use more than {@code cores * 1,000,000 / rate} µs per op, so a sum near it says that CPU, not waiting, bounds
     * the rate.
     */
    private static void cpu(StringBuilder md, List<Workloads.Run> runs) {
        int cores = Runtime.getRuntime().availableProcessors();
        String intro = "CPU per op in each run's measured window (µs of CPU, user and system, per op acked in it; the"
                + " generator is the load client; PostgreSQL's own processes are not counted), and what " + cores
                + " cores have per op at the rate achieved:";
        perProcess(md, runs, Workloads.Run::cpuMicrosPerOp, intro, cores);
    }

    /**
     * Each run's time waiting for a core by process: how long its threads were ready to run but found every core
     * taken, per op ({@link CpuUse}). An op crosses several threads in each process, and each crossing can wait there;
     * beside the latencies, it tells a busy box from a slow server.
     */
    private static void waits(StringBuilder md, List<Workloads.Run> runs) {
        String intro = "Waiting for a core in each run's measured window (µs per op acked in it that the process's"
                + " threads were ready to run but no core was free: Linux's run-queue delay, summed over threads):";
        perProcess(md, runs, Workloads.Run::waitMicrosPerOp, intro, 0);
    }

    /** A table of one figure per process and run, with the sum and, given the cores, what they have per op. */
    private static void perProcess(
            StringBuilder md,
            List<Workloads.Run> runs,
            Function<Workloads.Run, Map<String, Double>> figures,
            String intro,
            int cores) {
        List<String> roles = runs.stream()
                .flatMap(run -> figures.apply(run).keySet().stream())
                .distinct()
                .toList();
        if (roles.isEmpty()) {
            return;
        }
        md.append(intro).append("\n\n| workload | rate achieved | ");
        roles.forEach(role -> md.append(role).append(" | "));
        md.append(cores > 0 ? "all | available |\n|---|---|" : "all |\n|---|---|");
        roles.forEach(role -> md.append("---|"));
        md.append(cores > 0 ? "---|---|\n" : "---|\n");
        for (Workloads.Run run : runs) {
            Map<String, Double> perOp = figures.apply(run);
            if (perOp.isEmpty()) {
                continue;
            }
            md.append("| ")
                    .append(run.name())
                    .append(" | ")
                    .append(String.format(Locale.ROOT, "%.0f", run.achievedRate()))
                    .append(" | ");
            for (String role : roles) {
                Double micros = perOp.get(role);
                md.append(micros == null ? "–" : String.format(Locale.ROOT, "%.0f", micros))
                        .append(" | ");
            }
            double sum =
                    perOp.values().stream().mapToDouble(Double::doubleValue).sum();
            md.append(String.format(Locale.ROOT, "%.0f", sum)).append(" |");
            if (cores > 0) {
                md.append(' ')
                        .append(
                                run.achievedRate() > 0
                                        ? String.format(Locale.ROOT, "%.0f", cores * 1e6 / run.achievedRate())
                                        : "–")
                        .append(" |");
            }
            md.append('\n');
        }
        md.append("\n");
    }

    private static void rows(StringBuilder md, List<Workloads.Run> runs, double floorP99) {
        for (Workloads.Run run : runs) {
            double p99 = run.remote().getTotalCount() == 0 ? 0 : run.remote().getValueAtPercentile(99) / 1000.0;
            md.append("| ")
                    .append(run.name())
                    .append(" | ")
                    .append(String.format(Locale.ROOT, "%.0f", run.achievedRate()))
                    .append(" | ")
                    .append(ms(run.ack(), 50))
                    .append(" | ")
                    .append(ms(run.ack(), 99))
                    .append(" | ")
                    .append(ms(run.remote(), 50))
                    .append(" | ")
                    .append(ms(run.remote(), 99))
                    .append(" | ")
                    .append(ms(run.remote(), 99.9))
                    .append(" | ")
                    .append(ms(run.remote(), 100))
                    .append(" | ")
                    .append(floorP99 > 0 ? String.format(Locale.ROOT, "%.1f×", p99 / floorP99) : "–")
                    .append(" | ")
                    .append(run.correct() ? "yes" : "**no**")
                    .append(run.resent() > 0 ? ", " + run.resent() + " ops re-sent after resync_required" : "")
                    .append(" |\n");
        }
    }

    static void writeBetweenMarkers(Path file, String generated) throws IOException {
        String begin = "<!-- benchmark:begin -->";
        String end = "<!-- benchmark:end -->";
        String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : begin + "\n" + end + "\n";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            text = text + "\n" + begin + "\n" + end + "\n";
            from = text.indexOf(begin);
            to = text.indexOf(end);
        }
        Files.writeString(
                file,
                text.substring(0, from + begin.length()) + "\n" + generated + text.substring(to),
                StandardCharsets.UTF_8);
    }

    /** p50 and p99 of the relay against the rate, log scales, as a PNG: Coedit's sweep and the peer's. */
    static void chart(List<Workloads.Run> sweep, List<Workloads.Run> peerSweep, Path png) throws IOException {
        if (sweep.isEmpty()) {
            return;
        }
        int width = 900;
        int height = 520;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        Plot plot = new Plot(
                80,
                width - 40,
                70,
                height - 70,
                Math.log10(sweep.get(0).targetRate() / 1.5),
                Math.log10(sweep.get(sweep.size() - 1).targetRate() * 1.5),
                Math.log10(0.1),
                Math.log10(1000));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (double ms : new double[] {0.1, 1, 10, 100, 1000}) {
            int y = plot.y(ms);
            g.setColor(new Color(0xDDDDDD));
            g.drawLine(plot.left, y, plot.right, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(ms + " ms", 10, y + 4);
        }
        for (Workloads.Run run : sweep) {
            g.drawString(
                    String.format(Locale.ROOT, "%.0f", run.targetRate()),
                    plot.x(run.targetRate()) - 15,
                    plot.bottom + 20);
        }
        g.drawString("ops/s (relay, writers on instance A, readers on B)", plot.left + 200, plot.bottom + 45);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString("Relay latency against rate (submit to remote delivery)", plot.left, 30);
        int legend = 0;
        BasicStroke solid = new BasicStroke(2.5f);
        BasicStroke dashed =
                new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {8f, 6f}, 0f);
        legend = line(g, plot, sweep, 50, new Color(0x2E7D32), solid, "Coedit p50", legend);
        legend = line(g, plot, sweep, 99, new Color(0xC62828), solid, "Coedit p99", legend);
        if (!peerSweep.isEmpty()) {
            legend = line(g, plot, peerSweep, 50, new Color(0x1565C0), dashed, "Hocuspocus p50", legend);
            line(g, plot, peerSweep, 99, new Color(0xEF6C00), dashed, "Hocuspocus p99", legend);
        }
        g.dispose();
        Files.createDirectories(png.getParent());
        ImageIO.write(image, "png", png.toFile());
    }

    /** The chart's area and its two log scales. */
    private record Plot(
            int left, int right, int top, int bottom, double minRate, double maxRate, double minMs, double maxMs) {

        int x(double rate) {
            return (int) (left + (Math.log10(rate) - minRate) / (maxRate - minRate) * (right - left));
        }

        int y(double ms) {
            double clamped = Math.min(Math.max(ms, 0.1), 1000);
            return (int) (bottom - (Math.log10(clamped) - minMs) / (maxMs - minMs) * (bottom - top));
        }
    }

    /** One percentile of a sweep as a line with dots, and its legend entry; answers the next legend slot. */
    private static int line(
            Graphics2D g,
            Plot plot,
            List<Workloads.Run> sweep,
            double percentile,
            Color color,
            BasicStroke stroke,
            String label,
            int legend) {
        g.setColor(color);
        g.setStroke(stroke);
        int px = -1;
        int py = -1;
        for (Workloads.Run run : sweep) {
            if (run.remote().getTotalCount() == 0) {
                continue;
            }
            int x = plot.x(run.targetRate());
            int y = plot.y(run.remote().getValueAtPercentile(percentile) / 1000.0);
            g.fillOval(x - 4, y - 4, 8, 8);
            if (px >= 0) {
                g.drawLine(px, py, x, y);
            }
            px = x;
            py = y;
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        // in one row above the plot, where no line of the chart can cross it
        int x = plot.left + 170 * legend;
        g.drawLine(x, plot.top - 18, x + 25, plot.top - 18);
        g.drawString(label, x + 32, plot.top - 13);
        return legend + 1;
    }
}
