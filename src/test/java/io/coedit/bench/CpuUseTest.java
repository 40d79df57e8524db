package io.coedit.bench;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CpuUseTest {

    @Test
    void eachProcessGetsTheCpuItUsedBetweenTheSnapshotsDividedByTheOps() {
        CpuUse.Snapshot from = new CpuUse.Snapshot(Map.of("generator", 1_000_000_000L, "A", 2_000_000_000L));
        Map<String, Long> later = new LinkedHashMap<>();
        later.put("generator", 1_500_000_000L);
        later.put("A", 3_000_000_000L);
        later.put("B", 5_000_000_000L);

        Map<String, Double> perOp = CpuUse.microsPerOp(from, new CpuUse.Snapshot(later), 1_000);

        // B has no starting point (it was not readable then): left out rather than counted from zero
        assertThat(perOp).containsExactly(Map.entry("generator", 500.0), Map.entry("A", 1_000.0));
    }

    @Test
    void aWindowWithNoOpGivesNoFigure() {
        CpuUse.Snapshot snapshot = new CpuUse.Snapshot(Map.of("A", 1L));

        assertThat(CpuUse.microsPerOp(snapshot, snapshot, 0)).isEmpty();
    }

    @Test
    void theProgressLineNamesEachProcessWithItsRoundedFigure() {
        Map<String, Double> perOp = new LinkedHashMap<>();
        perOp.put("generator", 61.4);
        perOp.put("A", 120.5);

        assertThat(CpuUse.format(perOp)).isEqualTo("generator 61, A 121");
        assertThat(CpuUse.format(Map.of())).isEqualTo("none");
    }

    @Test
    void theLoadGeneratorsOwnCpuTimeIsRead() {
        CpuUse.Snapshot snapshot = CpuUse.read(Map.of("generator", ProcessHandle.current()));

        assertThat(snapshot.cpuNanos()).containsKey("generator");
        assertThat(snapshot.cpuNanos().get("generator")).isPositive();
    }
}
