package io.coedit.system;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Connections that hold their messages during held work write them once it ends, each once, in the order held. */
class HeldWritesTest {

    private final List<String> events = new ArrayList<>();

    private HeldWrites.Holder holder(String name) {
        return () -> events.add("write " + name);
    }

    @Test
    void holdersWriteOnlyOnceTheWorkHasEndedInTheOrderTheyHeld() {
        HeldWrites.around(() -> {
            assertThat(HeldWrites.hold(holder("a"))).isTrue();
            assertThat(HeldWrites.hold(holder("b"))).isTrue();
            events.add("work done");
        });

        assertThat(events).containsExactly("work done", "write a", "write b");
    }

    @Test
    void outsideHeldWorkNothingIsHeld() {
        assertThat(HeldWrites.hold(holder("a"))).isFalse();
        HeldWrites.around(() -> {});

        assertThat(events).isEmpty();
    }

    @Test
    void nestedHeldWorkJoinsTheOuterWork() {
        HeldWrites.around(() -> {
            HeldWrites.around(() -> HeldWrites.hold(holder("inner")));
            events.add("inner work done");
            HeldWrites.hold(holder("outer"));
        });

        assertThat(events).containsExactly("inner work done", "write inner", "write outer");
    }

    @Test
    void aHolderThatFailsCostsOnlyItsOwnConnection() {
        HeldWrites.around(() -> {
            HeldWrites.hold(() -> {
                throw new IllegalStateException("broken");
            });
            HeldWrites.hold(holder("b"));
        });

        assertThat(events).containsExactly("write b");
        assertThat(HeldWrites.hold(holder("after"))).isFalse();
    }

    @Test
    void workThatThrowsStillLetsWhatItHeldGo() {
        assertThatThrownBy(() -> HeldWrites.around(() -> {
                    HeldWrites.hold(holder("a"));
                    throw new IllegalStateException("failed half way");
                }))
                .hasMessage("failed half way");

        assertThat(events).containsExactly("write a");
        assertThat(HeldWrites.hold(holder("after"))).isFalse();
    }

    /** An event loop stand-in: runs what it is handed when the test says, and counts the hand-overs. */
    private final class Loop implements Executor {
        private final List<Runnable> tasks = new ArrayList<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            tasks.forEach(Runnable::run);
            tasks.clear();
        }
    }

    private HeldWrites.Holder holderOn(String name, Executor thread) {
        return new HeldWrites.Holder() {
            @Override
            public void writeHeld() {
                events.add("write " + name);
            }

            @Override
            public Executor writeThread() {
                return thread;
            }
        };
    }

    @Test
    void holdersOfOneEventLoopAreHandedToItTogetherInOneTask() {
        Loop first = new Loop();
        Loop second = new Loop();

        HeldWrites.around(() -> {
            HeldWrites.hold(holderOn("a", first));
            HeldWrites.hold(holderOn("b", second));
            HeldWrites.hold(holder("here"));
            HeldWrites.hold(holderOn("c", first));
        });

        assertThat(events).containsExactly("write here");
        assertThat(first.tasks).hasSize(1);
        assertThat(second.tasks).hasSize(1);
        first.runAll();
        second.runAll();
        assertThat(events).containsExactly("write here", "write a", "write c", "write b");
    }

    @Test
    void holdersOfAStoppedEventLoopWriteOnTheCallingThread() {
        Executor stopped = task -> {
            throw new RejectedExecutionException("stopped");
        };

        HeldWrites.around(() -> HeldWrites.hold(holderOn("a", stopped)));

        assertThat(events).containsExactly("write a");
    }
}
