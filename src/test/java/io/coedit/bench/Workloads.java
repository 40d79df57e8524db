package io.coedit.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;

import io.coedit.support.Tokens;

/**
 * The benchmark's workloads. Every writer keeps one op in flight and follows a fixed schedule: an op is timed from
 * its <em>intended</em> send time, so a server that falls behind shows it in the latency instead of silently
 * slowing the generator down (no coordinated omission). At the end of every run each client's text must equal the
 * server's, and every revision must have arrived once and in order, or the run fails.
 */
final class Workloads implements AutoCloseable {

    /**
     * Latencies of one run, in microseconds, and the CPU each process used and the time its threads waited for a core,
     * per op acked in the measured window ({@link CpuUse}; empty where not measured). {@code resent} counts the ops
     * the server refused with {@code resync_required} and the writers sent again ({@link BenchClient}).
     */
    record Run(
            String name,
            double targetRate,
            double achievedRate,
            Histogram ack,
            Histogram remote,
            long ops,
            List<String> failures,
            Map<String, Double> cpuMicrosPerOp,
            Map<String, Double> waitMicrosPerOp,
            long resent) {

        boolean correct() {
            return failures.isEmpty();
        }

        Run renamed(String newName) {
            return new Run(
                    newName,
                    targetRate,
                    achievedRate,
                    ack,
                    remote,
                    ops,
                    failures,
                    cpuMicrosPerOp,
                    waitMicrosPerOp,
                    resent);
        }

        Run withFailures(List<String> newFailures) {
            return new Run(
                    name,
                    targetRate,
                    achievedRate,
                    ack,
                    remote,
                    ops,
                    newFailures,
                    cpuMicrosPerOp,
                    waitMicrosPerOp,
                    resent);
        }
    }

    /** Idle-session capacity of one instance. */
    record Capacity(
            int sessions,
            double connectPerSecond,
            double heapBytesPerSession,
            long threads,
            long answered,
            double warmUpSeconds,
            List<String> failures) {}

    /** Loopback addresses the idle sessions of the capacity workload spread over ({@link Topology#wsUrl(int, int)}). */
    private static final int IDLE_ADDRESSES = 8;

    private final Topology topology;
    private final ExecutorService httpExecutor = Executors.newFixedThreadPool(4);
    private final HttpClient http =
            HttpClient.newBuilder().executor(httpExecutor).build();
    /** Every session the workloads open: two event loops, as many as the box has cores. */
    private final GeneratorSockets sockets = new GeneratorSockets(2);

    private final Random random = new Random(20261202);

    Workloads(Topology topology) {
        this.topology = topology;
    }

    /** Ends the generator's threads for this topology: the run goes on with the next one. */
    @Override
    public void close() {
        sockets.close();
        httpExecutor.shutdownNow();
    }

    /**
     * {@code rate} ops/s in total over {@code docs} documents, {@code writersPerDoc} writers per document on
     * instance A and {@code readersPerDoc} readers on instance B. Ack latency: submit to ack on the writer; remote:
     * submit to the op reaching a reader (with several readers, the last of them).
     */
    Run relay(
            String name,
            double rate,
            int docs,
            int writersPerDoc,
            int readersPerDoc,
            double seconds,
            double warmupSeconds)
            throws Exception {
        return relay(name, rate, docs, writersPerDoc, readersPerDoc, seconds, warmupSeconds, 1);
    }

    /**
     * As {@link #relay(String, double, int, int, int, double, double)}, with the writers spread over the first
     * {@code writerInstances} instances in turn (2: half of them on B, whose commits race A's for the same revision).
     */
    Run relay(
            String name,
            double rate,
            int docs,
            int writersPerDoc,
            int readersPerDoc,
            double seconds,
            double warmupSeconds,
            int writerInstances)
            throws Exception {
        Histogram ack = new ConcurrentHistogram(60_000_000L, 3);
        Histogram remote = new ConcurrentHistogram(60_000_000L, 3);
        Map<String, Long> intended = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> arrivals = new ConcurrentHashMap<>();
        // set once every session is open: ops before it warm up, they are not recorded
        AtomicLong measureFrom = new AtomicLong(Long.MAX_VALUE);
        AtomicLong measureUntil = new AtomicLong(Long.MAX_VALUE);
        AtomicLong measured = new AtomicLong();
        AtomicLong inTime = new AtomicLong();
        Map<BenchClient, Writer> writers = new ConcurrentHashMap<>();
        String run = name.replaceAll("[^A-Za-z0-9]", "") + "-" + Long.toString(System.nanoTime(), 36);

        BenchClient.Events events = new BenchClient.Events() {
            @Override
            public void acked(BenchClient client, String opId, long nanos) {
                Long sent = intended.get(opId);
                if (sent != null && sent >= measureFrom.get()) {
                    ack.recordValue(Math.max(0, (nanos - sent) / 1000));
                    measured.incrementAndGet();
                    if (nanos <= measureUntil.get()) {
                        inTime.incrementAndGet(); // throughput: acks that came within the window
                    }
                }
                Writer writer = writers.get(client);
                if (writer != null) {
                    writer.acked();
                }
            }

            @Override
            public void remoteOp(BenchClient client, String opId, long nanos) {
                if (!client.name().startsWith("r")) {
                    return; // the other writers of a hot document see it too: only readers time the relay
                }
                AtomicInteger count = arrivals.get(opId);
                if (count == null || count.incrementAndGet() != readersPerDoc) {
                    return;
                }
                arrivals.remove(opId);
                // kept, not removed: the writer's ack may come after the readers got the op
                Long sent = intended.get(opId);
                if (sent != null && sent >= measureFrom.get()) {
                    remote.recordValue(Math.max(0, (nanos - sent) / 1000));
                }
            }
        };

        List<BenchClient> all = new ArrayList<>();
        List<List<BenchClient>> writersOf = new ArrayList<>();
        List<List<BenchClient>> readersOf = new ArrayList<>();
        List<CompletableFuture<Void>> opened = new ArrayList<>();
        for (int d = 0; d < docs; d++) {
            String doc = run + "-" + d;
            List<BenchClient> docWriters = new ArrayList<>();
            List<BenchClient> docReaders = new ArrayList<>();
            for (int w = 0; w < writersPerDoc; w++) {
                BenchClient client = new BenchClient("w" + d + "x" + w, events);
                opened.add(client.open(
                        sockets,
                        topology.wsUrl(w % writerInstances),
                        doc,
                        Tokens.user("writer-" + d + "-" + w).sign()));
                docWriters.add(client);
            }
            for (int r = 0; r < readersPerDoc; r++) {
                BenchClient client = new BenchClient("r" + d + "x" + r, events);
                opened.add(client.open(
                        sockets,
                        topology.wsUrl(1),
                        doc,
                        Tokens.user("reader-" + d + "-" + r).sign()));
                docReaders.add(client);
            }
            writersOf.add(docWriters);
            readersOf.add(docReaders);
            all.addAll(docWriters);
            all.addAll(docReaders);
            if (opened.size() >= 200) {
                CompletableFuture.allOf(opened.toArray(CompletableFuture[]::new))
                        .get(60, TimeUnit.SECONDS);
                opened.clear();
            }
        }
        CompletableFuture.allOf(opened.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        int writerCount = docs * writersPerDoc;
        long intervalNanos = (long) (1e9 * writerCount / rate);
        long start = System.nanoTime() + 200_000_000L;
        measureFrom.set(start + (long) (warmupSeconds * 1e9));
        PriorityQueue<Writer> schedule = new PriorityQueue<>((a, b) -> Long.compare(a.next, b.next));
        for (int d = 0; d < docs; d++) {
            for (BenchClient client : writersOf.get(d)) {
                Writer writer = new Writer(client, intended, arrivals, readersPerDoc > 0);
                writer.next = start + (long) (random.nextDouble() * intervalNanos);
                writers.put(client, writer);
                schedule.add(writer);
            }
        }
        long end = measureFrom.get() + (long) (seconds * 1e9);
        measureUntil.set(end);
        // progress for a long run, and a mark to line a profiler up with one workload's measured window
        System.err.printf(
                "%s %s: %d sessions open, measuring %.0f s after %.0f s%n",
                Instant.now(), name, all.size(), seconds, warmupSeconds);
        Map<String, ProcessHandle> processes = topology.processes();
        // read off this thread: reading every thread's schedstat of four processes takes milliseconds, which here
        // would hold back the ops due at the window's start
        CompletableFuture<CpuUse.Snapshot> cpuFrom = null;
        // The first such read after an overload was followed by 0.1-2 s of late acks and deliveries, always at the
        // window's start where that read was (hot document right after the 10,000 ops/s warm-up: 11 of 15 runs),
        // and by none in 5 runs whose first read came earlier or later (2.5 s before the window, 4 s into it): it
        // is made halfway through the unmeasured lead-in, so the window measures the workload, not that first look.
        long firstLookAt = start + (measureFrom.get() - start) / 2;
        boolean lookedFirst = warmupSeconds == 0; // no lead-in (the unmeasured warm-up runs): nothing to look before
        while (true) {
            Writer writer = schedule.poll();
            if (writer.next >= end) {
                break;
            }
            DueTime.await(writer.next);
            if (!lookedFirst && writer.next >= firstLookAt) {
                lookedFirst = true;
                CompletableFuture.runAsync(() -> CpuUse.read(processes));
            }
            if (cpuFrom == null && writer.next >= measureFrom.get()) {
                cpuFrom = CompletableFuture.supplyAsync(() -> CpuUse.read(processes));
            }
            writer.due(writer.next);
            writer.next += intervalNanos;
            schedule.add(writer);
        }
        CpuUse.Snapshot cpuTo = CpuUse.read(processes);
        double elapsed = (end - measureFrom.get()) / 1e9;
        // a server that fell behind leaves ops the writers never got to send: they are not sent after the run (so
        // the check below compares settled documents), and each counts with what it had waited so far, a lower bound
        long stoppedAt = System.nanoTime();
        for (Writer writer : writers.values()) {
            for (long at : writer.abandonWaiting()) {
                if (at >= measureFrom.get()) {
                    ack.recordValue(Math.min(60_000_000L, (stoppedAt - at) / 1000));
                    remote.recordValue(Math.min(60_000_000L, (stoppedAt - at) / 1000));
                }
            }
        }

        List<String> failures = new ArrayList<>();
        awaitQuiet(all, writers.values(), failures);
        // one deadline for all documents: a run whose readers fell behind for good ends in 30 s, not 30 s a document
        long convergeBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (int d = 0; d < docs; d++) {
            checkConverged(run + "-" + d, writersOf.get(d), readersOf.get(d), convergeBy, failures);
        }
        all.forEach(BenchClient::close);
        CpuUse.Snapshot windowStart = cpuFrom == null ? null : cpuFrom.join();
        Map<String, Double> cpu = windowStart == null ? Map.of() : CpuUse.microsPerOp(windowStart, cpuTo, inTime.get());
        Map<String, Double> waits =
                windowStart == null ? Map.of() : CpuUse.waitMicrosPerOp(windowStart, cpuTo, inTime.get());
        long resent = all.stream().mapToLong(BenchClient::resent).sum();
        Run result =
                new Run(name, rate, inTime.get() / elapsed, ack, remote, measured.get(), failures, cpu, waits, resent);
        // every repeat's outcome, where the report keeps only the median run
        System.err.printf(
                "%s %s: %.0f ops/s achieved, delivery p50 %s ms, p99 %s ms, CPU µs per op %s,"
                        + " waiting for a core %s, %d ops re-sent after resync_required%s%n",
                Instant.now(),
                name,
                result.achievedRate(),
                Benchmark.ms(remote, 50),
                Benchmark.ms(remote, 99),
                CpuUse.format(cpu),
                CpuUse.format(waits),
                resent,
                failures.isEmpty() ? "" : ", FAILED: " + failures);
        return result;
    }

    /** One writer's schedule: ops that came due while one was in flight wait, timed from when they were due. */
    private final class Writer {
        private final BenchClient client;
        private final Map<String, Long> intended;
        private final Map<String, AtomicInteger> arrivals;
        private final boolean countArrivals;
        private final ArrayDeque<Long> waiting = new ArrayDeque<>();
        private final Random ownRandom = new Random(random.nextLong());
        long next;

        Writer(
                BenchClient client,
                Map<String, Long> intended,
                Map<String, AtomicInteger> arrivals,
                boolean countArrivals) {
            this.client = client;
            this.intended = intended;
            this.arrivals = arrivals;
            this.countArrivals = countArrivals;
        }

        synchronized void due(long at) {
            if (!trySend(at)) {
                waiting.add(at);
            }
        }

        synchronized void acked() {
            Long at = waiting.peek();
            if (at != null && trySend(at)) {
                waiting.poll();
            }
        }

        /** The ops that came due but were never sent, taken off the schedule. */
        synchronized List<Long> abandonWaiting() {
            List<Long> abandoned = new ArrayList<>(waiting);
            waiting.clear();
            return abandoned;
        }

        synchronized boolean drained() {
            return waiting.isEmpty() && client.idle();
        }

        private boolean trySend(long at) {
            if (!client.idle()) {
                return false;
            }
            String insert = ownRandom.nextInt(10) == 0 ? "😀" : String.valueOf((char) ('a' + ownRandom.nextInt(26)));
            String id = client.send(ownRandom.nextInt(1 << 20), insert, opId -> {
                if (countArrivals) {
                    arrivals.put(opId, new AtomicInteger());
                }
                intended.put(opId, at);
            });
            return id != null;
        }
    }

    private void awaitQuiet(List<BenchClient> clients, Collection<Writer> writers, List<String> failures)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (writers.stream().allMatch(Writer::drained)) {
                break;
            }
            Thread.sleep(50);
        }
        if (!writers.stream().allMatch(Writer::drained)) {
            failures.add("writers still had ops in flight 60 s after the run");
        }
        for (BenchClient client : clients) {
            if (client.protocolError() != null) {
                failures.add(client.protocolError());
            }
        }
    }

    /** Every client of the document ends with the server's text and revision. */
    private void checkConverged(
            String doc, List<BenchClient> writers, List<BenchClient> readers, long deadline, List<String> failures)
            throws Exception {
        JsonNode server = null;
        do {
            server = document(0, doc);
            long rev = server == null ? 0 : server.get("rev").asLong();
            List<BenchClient> everyone = new ArrayList<>(writers);
            everyone.addAll(readers);
            if (everyone.stream().allMatch(c -> c.rev() == rev)) {
                break;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        String content = server == null ? "" : server.get("content").asString();
        long rev = server == null ? 0 : server.get("rev").asLong();
        for (BenchClient client : writers) {
            if (client.rev() != rev || !client.text().equals(content)) {
                failures.add(doc + ": writer " + client.name() + " at rev " + client.rev()
                        + " differs from the server (" + rev + ")");
            }
        }
        for (BenchClient client : readers) {
            if (client.rev() != rev || !client.text().equals(content)) {
                failures.add(doc + ": reader " + client.name() + " at rev " + client.rev()
                        + " differs from the server (" + rev + ")");
            }
        }
        JsonNode other = document(1, doc);
        if (server != null && (other == null || !other.get("content").asString().equals(content))) {
            failures.add(doc + ": the two instances serve different content");
        }
    }

    private JsonNode document(int instance, String doc) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(topology.httpUrl(instance) + "/api/documents/" + doc))
                        .header(
                                "Authorization",
                                "Bearer " + Tokens.user("bench-check").sign())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? BenchClient.JSON.readTree(response.body()) : null;
    }

    /** {@code sessions} idle joined sessions on one instance, 100 per document. */
    Capacity capacity(int instance, int sessions, double warmUpSeconds) throws Exception {
        return capacity(instance, sessions, warmUpSeconds, null);
    }

    /**
     * As {@link #capacity(int, int, double)}; with {@code whileOpen}, that runs while the idle sessions are still
     * open (the relay with thousands of idle sessions attached), before they are closed. First, for
     * {@code warmUpSeconds}, sessions are opened the same way and closed again, unmeasured: on a fresh instance the
     * JIT compiles the handshake and join path for the first tens of thousands of connects (the compiler threads
     * took 46 of 50 s of CPU there), and a server that has been up a while does not pay that.
     */
    Capacity capacity(int instance, int sessions, double warmUpSeconds, Callable<?> whileOpen) throws Exception {
        long pid = topology.pid(instance);
        List<String> failures = new ArrayList<>();
        long warmUntil = System.nanoTime() + (long) (warmUpSeconds * 1e9);
        while (System.nanoTime() < warmUntil) {
            System.err.printf("%s capacity: warming up%n", Instant.now());
            List<BenchClient> warm = openIdle(instance, Math.min(sessions, 5000), failures);
            warm.forEach(BenchClient::abort);
            awaitNoSessions(instance);
        }
        if (!failures.isEmpty()) {
            failures.replaceAll(failure -> "warm-up: " + failure);
        }
        long heapBefore = heapAfterGc(pid);
        System.err.printf("%s capacity: opening %d idle sessions%n", Instant.now(), sessions);
        long start = System.nanoTime();
        List<BenchClient> clients = openIdle(instance, sessions, failures);
        double seconds = Topology.since(start).toNanos() / 1e9;
        System.err.printf("%s capacity: %d sessions opened in %.1f s%n", Instant.now(), sessions, seconds);
        long heapAfter = heapAfterGc(pid);
        long threads = threads(pid);
        clients.forEach(BenchClient::ping);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline
                && clients.stream().mapToLong(BenchClient::pongs).sum() < sessions) {
            Thread.sleep(100);
        }
        long answered = clients.stream().filter(c -> c.pongs() > 0).count();
        if (answered < sessions) {
            failures.add((sessions - answered) + " sessions did not answer a ping");
        }
        if (whileOpen != null) {
            whileOpen.call();
        }
        clients.forEach(BenchClient::abort);
        return new Capacity(
                sessions,
                sessions / seconds,
                (heapAfter - heapBefore) / (double) sessions,
                threads,
                answered,
                warmUpSeconds,
                failures);
    }

    /** Opens {@code sessions} idle joined sessions, 200 at a time, 100 per document of a run of its own. */
    private List<BenchClient> openIdle(int instance, int sessions, List<String> failures) {
        List<BenchClient> clients = new ArrayList<>();
        List<CompletableFuture<Void>> batch = new ArrayList<>();
        String run = "idle-" + Long.toString(System.nanoTime(), 36);
        for (int i = 0; i < sessions; i++) {
            BenchClient client = new BenchClient("idle" + i, BenchClient.Events.NONE);
            // users spread so the per-user session cap is not what is measured
            batch.add(client.open(
                    sockets,
                    topology.wsUrl(instance, i % IDLE_ADDRESSES),
                    run + "-" + (i / 100),
                    Tokens.user("idle-" + (i % 5000)).sign()));
            clients.add(client);
            if (batch.size() == 200) {
                waitAll(batch, failures);
            }
        }
        waitAll(batch, failures);
        return clients;
    }

    /** Waits (up to a minute) until the instance has closed every session, so none is counted in its heap. */
    private void awaitNoSessions(int instance) throws Exception {
        String token = Tokens.user("bench-metrics").scope("metrics:read").sign();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(topology.httpUrl(instance) + "/actuator/metrics/coedit.sessions"))
                            .header("Authorization", "Bearer " + token)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("/actuator/metrics/coedit.sessions answered " + response.statusCode());
            }
            double open = BenchClient.JSON
                    .readTree(response.body())
                    .path("measurements")
                    .path(0)
                    .path("value")
                    .asDouble();
            if (open == 0) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the instance still had sessions open a minute after they were closed");
    }

    private static void waitAll(List<CompletableFuture<Void>> batch, List<String> failures) {
        for (CompletableFuture<Void> future : batch) {
            try {
                future.get(60, TimeUnit.SECONDS);
            } catch (Exception ex) {
                if (failures.size() < 5) {
                    failures.add("a session did not open: " + ex);
                }
            }
        }
        batch.clear();
    }

    /**
     * The Redis pub/sub round trip alone, at {@code rate} messages per second: the floor under every relay. With two
     * {@code hops}, a forwarder (its own connections, as an instance has) publishes each message on to a second
     * channel as it arrives: the same four loopback legs and wake-ups as a relayed op (writer to A, A to Redis, Redis
     * to B, B to reader), without Coedit's work.
     */
    Run redisFloor(double rate, double seconds, int hops) throws Exception {
        Histogram latency = new ConcurrentHistogram(60_000_000L, 3);
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", topology.redisPort()));
        AtomicLong received = new AtomicLong();
        try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
                var pub = client.connect()) {
            for (int hop = 1; hop < hops; hop++) {
                forward(client, "bench:floor:" + (hop - 1), "bench:floor:" + hop);
            }
            long measureFrom = System.nanoTime() + 2_000_000_000L;
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    long sent = Long.parseLong(message);
                    if (sent >= measureFrom) {
                        latency.recordValue(Math.max(0, (System.nanoTime() - sent) / 1000));
                        received.incrementAndGet();
                    }
                }
            });
            sub.sync().subscribe("bench:floor:" + (hops - 1));
            long interval = (long) (1e9 / rate);
            long end = measureFrom + (long) (seconds * 1e9);
            for (long next = System.nanoTime(); next < end; next += interval) {
                DueTime.await(next);
                pub.async().publish("bench:floor:0", Long.toString(next));
            }
            Thread.sleep(500);
        } finally {
            client.shutdown();
        }
        String name = hops == 1 ? "redis pub/sub floor" : "redis pub/sub floor, " + hops + " hops";
        return new Run(
                name,
                rate,
                received.get() / seconds,
                latency,
                latency,
                received.get(),
                List.of(),
                Map.of(),
                Map.of(),
                0);
    }

    /** Publishes every message of {@code from} on {@code to} as it arrives; closed with the client. */
    private static void forward(RedisClient client, String from, String to) {
        StatefulRedisPubSubConnection<String, String> in = client.connectPubSub();
        var out = client.connect();
        in.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                out.async().publish(to, message);
            }
        });
        in.sync().subscribe(from);
    }

    /**
     * The heap's live bytes after a full collection: the total of a class histogram, which collects first and counts
     * only reachable objects. Not G1's "used" after {@code GC.run}: that also counts region space handed out again
     * right after the collection, and moved the per-session figure by a third between runs.
     */
    static long heapAfterGc(long pid) throws IOException, InterruptedException {
        return liveBytes(classHistogram(pid));
    }

    /** The instance's class histogram ({@code jcmd GC.class_histogram}, which collects first). */
    static String classHistogram(long pid) throws IOException, InterruptedException {
        return jcmd(pid, "GC.class_histogram");
    }

    /** The live bytes of a class histogram (its "Total" line), or -1 without one. */
    static long liveBytes(String histogram) {
        return histogram
                .lines()
                .filter(line -> line.startsWith("Total"))
                .findFirst()
                .map(line -> Long.parseLong(line.trim().split("\\s+")[2]))
                .orElse(-1L);
    }

    static long threads(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"), StandardCharsets.UTF_8)) {
            if (line.startsWith("Threads:")) {
                return Long.parseLong(line.substring(8).trim());
            }
        }
        return -1;
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
                .redirectErrorStream(true)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(60, TimeUnit.SECONDS);
        return out;
    }
}
