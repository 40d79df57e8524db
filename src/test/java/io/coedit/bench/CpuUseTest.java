package io.coedit.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CpuUseTest {

    @Test
    void eachProcessGetsTheCpuItUsedBetweenTheSnapshotsDividedByTheOps() {
        CpuUse.Snapshot from = new CpuUse.Snapshot(Map.of("generator", 1_000_000_000L, "A", 2_000_000_000L), Map.of());
        Map<String, Long> later = new LinkedHashMap<>();
        later.put("generator", 1_500_000_000L);
        later.put("A", 3_000_000_000L);
        later.put("B", 5_000_000_000L);

        Map<String, Double> perOp = CpuUse.microsPerOp(from, new CpuUse.Snapshot(later, Map.of()), 1_000);

        // B has no starting point (it was not readable then): left out rather than counted from zero
        assertThat(perOp).containsExactly(Map.entry("generator", 500.0), Map.entry("A", 1_000.0));
    }

    @Test
    void aWindowWithNoOpGivesNoFigure() {
        CpuUse.Snapshot snapshot = new CpuUse.Snapshot(Map.of("A", 1L), Map.of("A", 1L));

        assertThat(CpuUse.microsPerOp(snapshot, snapshot, 0)).isEmpty();
        assertThat(CpuUse.waitMicrosPerOp(snapshot, snapshot, 0)).isEmpty();
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

    @Test
    void waitsForACoreArePerOpAndNeverBelowNothingWhenThreadsEnded() {
        CpuUse.Snapshot from = new CpuUse.Snapshot(Map.of(), Map.of("A", 1_000_000L, "B", 9_000_000L));
        CpuUse.Snapshot to = new CpuUse.Snapshot(Map.of(), Map.of("A", 3_000_000L, "B", 4_000_000L));

        // B's threads that waited most ended in between and took their share with them
        assertThat(CpuUse.waitMicrosPerOp(from, to, 100)).containsOnly(Map.entry("A", 20.0), Map.entry("B", 0.0));
    }

    @Test
    void aProcessWithMoreBusyThreadsThanCoresShowsTheirWaitForACore() throws Exception {
        assumeTrue(
                "true".equals(System.getenv("CI")) || Files.isDirectory(Path.of("/proc/self/task")),
                "run-queue delays come from Linux's /proc");
        long pid = ProcessHandle.current().pid();
        int cores = Runtime.getRuntime().availableProcessors();
        long waitBefore = CpuUse.runQueueWaitNanos(pid).orElseThrow();
        long cpuBefore = cpuNanos();
        AtomicBoolean spin = new AtomicBoolean(true);
        List<Thread> busy = new ArrayList<>();
        for (int i = 0; i < 4 * cores; i++) {
            Thread thread = new Thread(() -> {
                while (spin.get()) {
                    Thread.onSpinWait();
                }
            });
            thread.start();
            busy.add(thread);
        }
        TimeUnit.MILLISECONDS.sleep(500);
        // read while the threads still run: an ended thread's wait leaves /proc with it
        long waited = CpuUse.runQueueWaitNanos(pid).orElseThrow() - waitBefore;
        long ran = cpuNanos() - cpuBefore;
        spin.set(false);
        for (Thread thread : busy) {
            thread.join();
        }

        // four spinning threads a core: each runs about a quarter of the time and waits the rest, so the process
        // waits about three times as long as it runs (the time on a core, the first field, would be as long)
        assertThat(waited).isGreaterThan(ran * 3 / 2);
        assertThat(CpuUse.read(Map.of("generator", ProcessHandle.current())).waitNanos())
                .containsKey("generator");
    }

    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
    }
}
