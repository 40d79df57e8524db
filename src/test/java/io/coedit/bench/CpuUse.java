package io.coedit.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The CPU time each process of a run used over its measured window, per op. On a box this shared, latency moves
 * with whatever else runs; CPU per op moves far less, and it shows what a rate costs: at R ops/s on N cores the
 * processes together have at most {@code N * 1,000,000 / R} µs per op, and a rate beyond that cannot be reached
 * whatever the latency.
 */
final class CpuUse {

    /** Total CPU time (user and system, all threads) of each process by its role, in nanoseconds. */
    record Snapshot(Map<String, Long> cpuNanos) {}

    private CpuUse() {}

    /**
     * Each process's CPU time so far; a process whose CPU time the platform does not give (or that has ended) is
     * left out.
     */
    static Snapshot read(Map<String, ProcessHandle> processes) {
        Map<String, Long> cpu = new LinkedHashMap<>();
        processes.forEach((role, process) ->
                process.info().totalCpuDuration().ifPresent(total -> cpu.put(role, total.toNanos())));
        return new Snapshot(cpu);
    }

    /**
     * Microseconds of CPU per op between two snapshots, by role, in the order of {@code to}, for the roles present in
     * both; empty when no op completed.
     */
    static Map<String, Double> microsPerOp(Snapshot from, Snapshot to, double ops) {
        Map<String, Double> perOp = new LinkedHashMap<>();
        if (ops <= 0) {
            return perOp;
        }
        to.cpuNanos().forEach((role, end) -> {
            Long start = from.cpuNanos().get(role);
            if (start != null) {
                perOp.put(role, (end - start) / 1000.0 / ops);
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
