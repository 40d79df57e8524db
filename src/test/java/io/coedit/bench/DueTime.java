package io.coedit.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * Waits for an op's intended send time. On Java 17 {@code TimeUnit.NANOSECONDS.sleep} rounds any wait up to whole
 * milliseconds ({@code Thread.sleep(millis, nanos)} adds a millisecond for any nanos), which sent each op up to a
 * millisecond late, and an op is timed from its intended time: the server was charged for the generator's sleep.
 * Parking keeps to the time within a thread's wake-up (about 0.1 ms on the benchmark's machine); the peer's load
 * client waits to the same time (a timer, then turns of its event loop).
 */
final class DueTime {

    private DueTime() {}

    /** Returns at {@code dueNanos} ({@link System#nanoTime()}) or after, never before. */
    static void await(long dueNanos) throws InterruptedException {
        long wait;
        while ((wait = dueNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }
}
