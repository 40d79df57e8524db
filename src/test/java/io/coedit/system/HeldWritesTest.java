package io.coedit.system;

import java.util.ArrayList;
import java.util.List;

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
}
