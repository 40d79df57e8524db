package io.coedit.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.stream.Stream;

/**
 * The CPU time each process of a run used over its measured window, per op. On a box this shared, latency moves
 * with whatever else runs; CPU per op moves far less, and it shows what a rate costs: at R ops/s on N cores the
 * processes together have at most {@code N * 1,000,000 / R} µs per op, and a rate beyond that cannot be reached
 * whatever the latency.
 *
 * <p>Beside it, the time each process's threads spent ready to run but waiting for a core (Linux's run-queue delay,
 * the second field of {@code /proc/<pid>/task/<tid>/schedstat}): on two cores shared by four busy processes, every
 * hand-off of an op from one thread to another can wait there, and that wait is latency no profile of the process
 * itself shows. Threads that end inside the window take their waits with them, so it is a lower bound.
 */
final class CpuUse {

    /**
     * Total CPU time (user and system, all threads) of each process by its role, and the time its threads waited for
     * a core, in nanoseconds.
     */
    record Snapshot(Map<String, Long> cpuNanos, Map<String, Long> waitNanos) {}

    private CpuUse() {}

    /**
     * Each process's CPU time and run-queue wait so far; a process whose figure the platform does not give (or that
     * has ended) is left out of that map.
     */
    static Snapshot read(Map<String, ProcessHandle> processes) {
        Map<String, Long> cpu = new LinkedHashMap<>();
        Map<String, Long> wait = new LinkedHashMap<>();
        processes.forEach((role, process) -> {
            process.info().totalCpuDuration().ifPresent(total -> cpu.put(role, total.toNanos()));
            runQueueWaitNanos(process.pid()).ifPresent(nanos -> wait.put(role, nanos));
        });
        return new Snapshot(cpu, wait);
    }

    /** The sum over a process's threads of the time they waited for a core; empty where {@code /proc} has none. */
    static Optional<Long> runQueueWaitNanos(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        if (!Files.isDirectory(tasks)) {
            return Optional.empty();
        }
        long total = 0;
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : (Iterable<Path>) threads::iterator) {
                total += threadWaitNanos(thread.resolve("schedstat"));
            }
        } catch (NoSuchFileException ended) {
            return Optional.empty();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return Optional.of(total);
    }

    /**
     * {@code <on-cpu ns> <run-queue wait ns> <timeslices>}; a thread that ended since the listing counts nothing
     * (its file is gone, or reading it fails with "no such process").
     */
    private static long threadWaitNanos(Path schedstat) {
        String line;
        try {
            line = Files.readString(schedstat).trim();
        } catch (IOException ended) {
            return 0;
        }
        String[] fields = line.split(" ");
        return fields.length >= 2 ? Long.parseLong(fields[1]) : 0;
    }

    /**
     * Microseconds of CPU per op between two snapshots, by role, in the order of {@code to}, for the roles present in
     * both; empty when no op completed.
     */
    static Map<String, Double> microsPerOp(Snapshot from, Snapshot to, double ops) {
        return perOp(from.cpuNanos(), to.cpuNanos(), ops);
    }

    /** Microseconds each process's threads waited for a core per op between two snapshots, as {@link #microsPerOp}. */
    static Map<String, Double> waitMicrosPerOp(Snapshot from, Snapshot to, double ops) {
        return perOp(from.waitNanos(), to.waitNanos(), ops);
    }

    private static Map<String, Double> perOp(Map<String, Long> from, Map<String, Long> to, double ops) {
        Map<String, Double> perOp = new LinkedHashMap<>();
        if (ops <= 0) {
            return perOp;
        }
        to.forEach((role, end) -> {
            Long start = from.get(role);
            if (start != null) {
                // threads that ended in between took their share with them: never below nothing
                perOp.put(role, Math.max(0, end - start) / 1000.0 / ops);
            }
        });
        return perOp;
    }

    /** {@code generator 60, A 120, ...}, rounded to the microsecond; {@code none} when nothing was measured. */
    static String format(Map<String, Double> microsPerOp) {
        if (microsPerOp.isEmpty()) {
            return "none";
        }
        StringJoiner text = new StringJoiner(", ");
        microsPerOp.forEach((role, micros) -> text.add(String.format(Locale.ROOT, "%s %.0f", role, micros)));
        return text.toString();
    }
}
