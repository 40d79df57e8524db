package io.coedit.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The runs of one workload repeated on a noisy machine, reported as one: the run with the median delivery p99, with
 * the failures of every run (a repeat that lost an op fails the workload), and a line giving each run's p99.
 */
final class Repeats {

    private Repeats() {}

    /** The median run by delivery p99 (the lower middle one of an even count), carrying every run's failures. */
    static Workloads.Run median(List<Workloads.Run> runs) {
        if (runs.size() == 1) {
            return runs.get(0);
        }
        List<Workloads.Run> byP99 = new ArrayList<>(runs);
        byP99.sort(Comparator.comparingLong(run -> run.remote().getValueAtPercentile(99)));
        Workloads.Run median = byP99.get((byP99.size() - 1) / 2);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            for (String failure : runs.get(i).failures()) {
                failures.add("run " + (i + 1) + " of " + runs.size() + ": " + failure);
            }
        }
        return median.withFailures(failures);
    }

    /**
     * "name: p99 a / b / c ms", in the order the runs were made, and how many ops each run sent again after
     * {@code resync_required} when any did (the median row gives only its own).
     */
    static String spread(List<Workloads.Run> runs) {
        String spread = runs.get(0).name() + ": "
                + runs.stream()
                        .map(run ->
                                String.format(Locale.ROOT, "%.1f", run.remote().getValueAtPercentile(99) / 1000.0))
                        .collect(Collectors.joining(" / "))
                + " ms";
        if (runs.stream().allMatch(run -> run.resent() == 0)) {
            return spread;
        }
        return spread + " (ops re-sent after resync_required: "
                + runs.stream().map(run -> Long.toString(run.resent())).collect(Collectors.joining(" / "))
                + ")";
    }
}
