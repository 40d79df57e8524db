package io.coedit.bench;

import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RepeatsTest {

    @Test
    void theRunWithTheMedianDeliveryP99IsReported() {
        List<Workloads.Run> runs = List.of(run(40_000, List.of()), run(9_000, List.of()), run(25_000, List.of()));

        Workloads.Run median = Repeats.median(runs);

        assertThat(median.remote().getValueAtPercentile(99)).isBetween(24_900L, 25_100L);
        assertThat(median.correct()).isTrue();
        assertThat(Repeats.spread(runs)).isEqualTo("hot: 40.0 / 9.0 / 25.0 ms");
    }

    @Test
    void aRepeatThatFailedFailsTheWorkloadEvenWhenAnotherRunIsTheMedian() {
        List<Workloads.Run> runs =
                List.of(run(40_000, List.of("w1: lost rev 7")), run(9_000, List.of()), run(25_000, List.of()));

        Workloads.Run median = Repeats.median(runs);

        assertThat(median.correct()).isFalse();
        assertThat(median.failures()).containsExactly("run 1 of 3: w1: lost rev 7");
    }

    @Test
    void theSpreadSaysHowManyOpsEachRunSentAgainWhenAnyDid() {
        Workloads.Run resending = run(40_000, List.of());
        resending = new Workloads.Run(
                resending.name(),
                resending.targetRate(),
                resending.achievedRate(),
                resending.ack(),
                resending.remote(),
                resending.ops(),
                resending.failures(),
                Map.of(),
                Map.of(),
                312);
        List<Workloads.Run> runs = List.of(run(9_000, List.of()), resending, run(25_000, List.of()));

        assertThat(Repeats.median(runs).resent()).isZero();
        assertThat(Repeats.spread(runs))
                .isEqualTo("hot: 9.0 / 40.0 / 25.0 ms (ops re-sent after resync_required: 0 / 312 / 0)");
    }

    private static Workloads.Run run(long p99Micros, List<String> failures) {
        Histogram latency = new Histogram(60_000_000L, 3);
        latency.recordValue(p99Micros);
        return new Workloads.Run("hot", 1000, 1000, latency, latency, 1, failures, Map.of(), Map.of(), 0);
    }
}
