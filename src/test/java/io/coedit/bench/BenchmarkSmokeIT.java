package io.coedit.bench;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark's own code, run for a few seconds at tiny sizes against the built jar in every build, so it never
 * rots. It checks correctness only: every client ends with the server's text, nothing lost, doubled or reordered,
 * and the same of the Hocuspocus peer's clients (which needs Node.js and npm, as the build's frontend tests do).
 * It asserts no time: speed is for {@code ./mvnw -Pbench verify} (docs/benchmarks.md).
 */
class BenchmarkSmokeIT {

    @Test
    void everyWorkloadRunsAndEveryClientEndsWithTheServersText() throws Exception {
        // as the frontend tests: without Node.js only outside CI, where a missing tool fails the build
        boolean peer = HocuspocusPeer.available() || "true".equals(System.getenv("CI"));
        Benchmark.Report report = Benchmark.run(
                Benchmark.jar(Path.of("target")),
                true,
                List.of("relay", "hot", "hot2", "fanout", "capacity", "saturation", "loopfloor", "storage"),
                peer);
        assertThat(report.failures()).isEmpty();
        assertThat(report.runs())
                .hasSize(5)
                .allSatisfy(run -> assertThat(run.ops()).isPositive())
                .allSatisfy(run -> assertThat(run.cpuMicrosPerOp())
                        .containsOnlyKeys("generator", "A", "B", "Redis")
                        .allSatisfy((role, micros) -> assertThat(micros).isNotNegative())
                        .satisfies(cpu ->
                                assertThat(cpu.get("generator") + cpu.get("A")).isPositive()))
                .allSatisfy(run -> assertThat(run.waitMicrosPerOp())
                        .containsOnlyKeys("generator", "A", "B", "Redis")
                        .allSatisfy((role, micros) -> assertThat(micros).isNotNegative()));
        assertThat(report.sweep()).isNotEmpty();
        assertThat(report.capacity())
                .singleElement()
                .satisfies(c -> assertThat(c.answered()).isEqualTo(200));
        assertThat(report.eventLoopFloor())
                .singleElement()
                .satisfies(run -> assertThat(run.ops()).isPositive())
                .satisfies(run -> assertThat(run.cpuMicrosPerOp()).containsOnlyKeys("generator", "A", "B", "Redis"));
        assertThat(report.floor().ops()).isPositive();
        assertThat(report.floorTwoHops().ops()).isPositive();
        assertThat(report.stores())
                .extracting(Benchmark.StoreRuns::store)
                .containsExactly(Topology.Store.FILE, Topology.Store.POSTGRES);
        assertThat(report.stores()).allSatisfy(store -> {
            assertThat(store.runs())
                    // with two instances, the hot document with writers on both as well
                    .hasSize(store.instances() > 1 ? 3 : 2)
                    .allSatisfy(run -> assertThat(run.ops()).isPositive());
            assertThat(store.sweep()).isNotEmpty();
        });
        assertThat(Benchmark.markdown(report, true))
                .contains("relay 100 ops/s")
                .contains("Capacity")
                .contains("PostgreSQL: relay 1,000 ops/s")
                .contains("PostgreSQL: " + Benchmark.HOT_ON_BOTH)
                .contains("Knee on file (SQLite)")
                .contains(Benchmark.EVENT_LOOP_FLOOR + "relay 1,000 ops/s")
                .contains("- relay 1,000 ops/s, 100 docs: Coedit")
                .contains("CPU per op in each run's measured window")
                .contains("Waiting for a core in each run's measured window");
        if (peer) {
            assertThat(report.peer().runs())
                    .extracting(Workloads.Run::name)
                    .containsExactlyElementsOf(report.runs().stream()
                            .map(Workloads.Run::name)
                            .filter(name -> !name.equals(Benchmark.HOT_ON_BOTH))
                            .toList());
            assertThat(report.peer().all())
                    .allSatisfy(run -> assertThat(run.ops()).isPositive());
            assertThat(report.peer().sweep()).isNotEmpty();
            assertThat(Benchmark.markdown(report, true)).contains("p99 Coedit / Hocuspocus");
        }
    }
}
