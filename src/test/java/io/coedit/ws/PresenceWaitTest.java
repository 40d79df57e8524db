package io.coedit.ws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import jakarta.websocket.SendResult;

import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;

/** Presence frames for idle sessions wait for one timer tick, shared by every session waiting meanwhile. */
class PresenceWaitTest {

    /** Timer tasks, run when the test says so. */
    private final List<Runnable> ticks = new ArrayList<>();

    private final List<Long> delaysNanos = new ArrayList<>();

    private final ScheduledExecutorService timer = Mockito.mock(ScheduledExecutorService.class);

    private final List<String> written = new ArrayList<>();

    PresenceWaitTest() {
        Mockito.when(timer.schedule(any(Runnable.class), anyLong(), eq(TimeUnit.NANOSECONDS)))
                .thenAnswer(invocation -> {
                    ticks.add(invocation.getArgument(0));
                    delaysNanos.add(invocation.getArgument(1));
                    return null;
                });
    }

    private Outbox outbox(String name, PresenceWait wait) {
        Outbox.Writer writer = (frame, done) -> {
            written.add(name + ":" + frame.text());
            done.onResult(new SendResult());
        };
        return new Outbox(writer, 1 << 20, () -> {}, null, wait);
    }

    private void tick() {
        List<Runnable> due = List.copyOf(ticks);
        ticks.clear();
        due.forEach(Runnable::run);
    }

    @Test
    void oneTickWritesWhatEverySessionWaitingBeforeItGot() {
        PresenceWait wait = new PresenceWait(timer, Duration.ofMillis(20));
        Outbox ann = outbox("ann", wait);
        Outbox bob = outbox("bob", wait);
        ann.sendSoon(TextFrame.of("j1"));
        bob.sendSoon(TextFrame.of("j1"));
        ann.sendSoon(TextFrame.of("j2"));

        assertThat(written).isEmpty();
        assertThat(ticks).hasSize(1);
        assertThat(delaysNanos).containsExactly(Duration.ofMillis(20).toNanos());

        tick();
        assertThat(written).containsExactlyInAnyOrder("ann:j1", "ann:j2", "bob:j1");
        assertThat(ann.idle()).isTrue();
        assertThat(bob.idle()).isTrue();

        bob.sendSoon(TextFrame.of("j3"));
        assertThat(ticks)
                .as("a wait begun after the tick gets a tick of its own")
                .hasSize(1);
        tick();
        assertThat(written).endsWith("bob:j3");
    }

    @Test
    void aSessionWhoseWaitAnOpEndedIsNotWrittenAgainByTheTick() {
        PresenceWait wait = new PresenceWait(timer, Duration.ofMillis(20));
        Outbox ann = outbox("ann", wait);
        ann.sendSoon(TextFrame.of("j1"));
        ann.send("op");
        assertThat(written).containsExactly("ann:j1", "ann:op");

        tick();
        assertThat(written).containsExactly("ann:j1", "ann:op");
    }

    @Test
    void withoutADelayPresenceFramesAreWrittenAtOnce() {
        PresenceWait wait = new PresenceWait(timer, Duration.ZERO);
        outbox("ann", wait).sendSoon(TextFrame.of("j1"));

        assertThat(written).containsExactly("ann:j1");
        assertThat(ticks).isEmpty();
    }

    @Test
    void onceTheTimerIsShutDownNothingWaitsForATickThatWasCancelled() {
        PresenceWait wait = new PresenceWait(timer, Duration.ofMillis(20));
        outbox("ann", wait).sendSoon(TextFrame.of("j1"));
        assertThat(ticks).hasSize(1);
        Mockito.when(timer.isShutdown()).thenReturn(true); // shutdownNow dropped the tick

        outbox("bob", wait).sendSoon(TextFrame.of("j1"));

        assertThat(written).containsExactlyInAnyOrder("ann:j1", "bob:j1");
    }

    @Test
    void aTimerShutDownLeavesNothingWaiting() {
        Mockito.reset(timer);
        Mockito.when(timer.schedule(any(Runnable.class), anyLong(), any()))
                .thenThrow(new RejectedExecutionException("shut down"));
        PresenceWait wait = new PresenceWait(timer, Duration.ofMillis(20));
        outbox("ann", wait).sendSoon(TextFrame.of("j1"));

        assertThat(written).containsExactly("ann:j1");
    }
}
