package io.coedit.cluster;

import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The relay's one thread, which dispatches the pub/sub messages {@link RelayListenerContainer} keeps in the order
 * Redis delivered them, and the time the last message arrived, kept or not. Arrival, not processing, proves the
 * subscription alive: under load the thread may run seconds behind Redis, and that backlog must not look like a
 * silent subscription, whose cure (resubscribing and every room reading its log again) would add load exactly when
 * there is too much. It also knows whether it has caught up, so that a message may be dispatched where it arrived
 * without overtaking one handed to it before.
 */
final class RelayThread implements Executor {

    private final ExecutorService thread;
    private final Clock clock;
    /** Dispatches handed to the thread and not yet finished. */
    private final AtomicInteger unfinished = new AtomicInteger();

    private volatile long lastArrivalMillis;

    RelayThread(ThreadFactory threads, Clock clock) {
        this.thread = Executors.newSingleThreadExecutor(threads);
        this.clock = clock;
        this.lastArrivalMillis = clock.millis();
    }

    /** Called on Redis' connection thread for each message and listener, including those dropped there. */
    void arrived() {
        lastArrivalMillis = clock.millis();
    }

    @Override
    public void execute(Runnable dispatch) {
        unfinished.incrementAndGet();
        try {
            thread.execute(() -> {
                try {
                    dispatch.run();
                } finally {
                    unfinished.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException ex) {
            unfinished.decrementAndGet();
            throw ex;
        }
    }

    /**
     * Whether every dispatch handed to this thread has finished. Asked by the one thread that hands dispatches to it
     * (Redis' connection thread), a true answer stays true until that thread hands over another.
     */
    boolean caughtUp() {
        return unfinished.get() == 0;
    }

    long lastArrivalMillis() {
        return lastArrivalMillis;
    }

    void shutdown() {
        thread.shutdown();
    }
}
