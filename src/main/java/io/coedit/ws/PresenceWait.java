package io.coedit.ws;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import lombok.extern.slf4j.Slf4j;

/**
 * Ends the waits of the outboxes that were given a presence frame while idle ({@link Outbox#sendSoon}), so that the
 * presence changes of a moment reach each session in one write.
 *
 * <p>A join into a full document owes every other member a frame, and a burst of joins or of caret moves owes each
 * member several within milliseconds. Written one by one, each was a socket write of its own: while sessions opened
 * 100 to a document, those writes were a fifth of the instance's CPU (docs/benchmarks.md). An outbox that waits here
 * writes what came for it meanwhile when the delay is up, at the latest; an op, an ack or a reply sent to it ends the
 * wait at once. One timer tick serves every outbox that began waiting before it; with no delay, nothing waits.
 */
@Slf4j
final class PresenceWait implements Outbox.Wait {

    private final ScheduledExecutorService timer;
    private final long delayNanos;
    private final Queue<Outbox> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean tickScheduled = new AtomicBoolean();

    /** {@code timer}: a thread that only ends waits, which write without blocking. */
    PresenceWait(ScheduledExecutorService timer, Duration delay) {
        this.timer = timer;
        this.delayNanos = delay.toNanos();
    }

    @Override
    public void schedule(Outbox outbox) {
        if (delayNanos == 0) {
            outbox.endWait();
            return;
        }
        waiting.add(outbox);
        if (timer.isShutdown()) {
            // shutting down: a tick scheduled before may have been cancelled, and nothing waits any more
            endWaits();
            return;
        }
        if (tickScheduled.compareAndSet(false, true)) {
            try {
                timer.schedule(this::endWaits, delayNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException ex) {
                // shutting down: nothing waits any more
                tickScheduled.set(false);
                endWaits();
            }
        }
    }

    /** Ends every wait begun so far (one begun meanwhile may end early, which only shortens it). */
    private void endWaits() {
        tickScheduled.set(false);
        for (Outbox outbox = waiting.poll(); outbox != null; outbox = waiting.poll()) {
            try {
                outbox.endWait();
            } catch (RuntimeException ex) {
                // the outbox's own connection fails; the others still get their frames
                log.error("Writing presence frames failed", ex);
            }
        }
    }
}
