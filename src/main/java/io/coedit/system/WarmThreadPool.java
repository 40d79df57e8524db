package io.coedit.system;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import lombok.extern.slf4j.Slf4j;

/**
 * A thread pool that hands each task to the thread that went idle last, and starts a thread only when none is idle.
 *
 * <p>A {@link java.util.concurrent.ThreadPoolExecutor} wakes the thread that has waited longest. Once an overload
 * (two busy cores, tasks preempted mid-run) has grown it to its maximum, every task runs on the coldest of those
 * threads, and none of them ever idles long enough to retire: an instance kept Tomcat's 200 request threads after a
 * burst and woke each of them five times a second. Here the threads the work needs stay warm at the top of the
 * idle stack, and the rest sink to its bottom and retire after the keep-alive. The maximum is still there for work
 * that blocks (a REST read waiting on the store), which starts threads as it needs them.
 *
 * <p>Tasks beyond the running threads wait in order, at most {@code queueCapacity} of them (plus one per thread, for
 * a task on its way to a thread); more are rejected, and so are tasks after {@link #shutdown()}, which lets the
 * waiting ones run first.
 */
@Slf4j
public final class WarmThreadPool extends AbstractExecutorService {

    private final int coreThreads;
    private final int maxThreads;
    private final int queueCapacity;
    private final long keepAliveNanos;
    private final ThreadFactory threadFactory;

    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    /** Idle workers, the last to go idle first. */
    private final ConcurrentLinkedDeque<Worker> idle = new ConcurrentLinkedDeque<>();

    private final AtomicInteger threads = new AtomicInteger();
    /**
     * Threads woken for a task that have not taken one yet. One at a time: each wakes the next once it has its task,
     * while tasks are left. Waking a thread per task put a burst's every task on a thread of its own, all runnable at
     * once on two cores, each waiting for a core.
     */
    private final AtomicInteger waking = new AtomicInteger();

    private final CountDownLatch terminated = new CountDownLatch(1);
    private final List<Worker> workers = new ArrayList<>(); // guarded by itself, for shutdownNow's interrupts
    private volatile boolean stopping;

    /**
     * @param coreThreads threads kept however long they idle (none are started before a task needs them)
     * @param maxThreads threads at most, busy or idle
     * @param queueCapacity tasks that may wait for a thread
     * @param keepAlive how long a thread beyond {@code coreThreads} idles before it ends
     */
    public WarmThreadPool(
            int coreThreads, int maxThreads, int queueCapacity, Duration keepAlive, ThreadFactory threadFactory) {
        if (coreThreads < 0 || maxThreads < 1 || coreThreads > maxThreads || queueCapacity < 0) {
            throw new IllegalArgumentException(
                    "need 0 <= coreThreads <= maxThreads, 1 <= maxThreads and 0 <= queueCapacity");
        }
        this.coreThreads = coreThreads;
        this.maxThreads = maxThreads;
        this.queueCapacity = queueCapacity;
        this.keepAliveNanos = keepAlive.toNanos();
        this.threadFactory = threadFactory;
    }

    @Override
    public void execute(Runnable task) {
        if (stopping) {
            throw new RejectedExecutionException("The pool is shut down");
        }
        // a task on its way to an idle thread counts until the thread takes it: one per thread on top of the queue
        if (queued.incrementAndGet() > (long) queueCapacity + maxThreads) {
            queued.decrementAndGet();
            throw new RejectedExecutionException("The pool's queue is full (" + queueCapacity + " tasks)");
        }
        tasks.add(task);
        signal();
    }

    /** Wakes the last idle thread for a waiting task, or starts one when none idles and the maximum allows. */
    private void signal() {
        if (waking.get() > 0) {
            return; // the thread on its way takes a task and wakes the next one while tasks are left
        }
        Worker worker = idle.pollFirst();
        if (worker != null) {
            waking.incrementAndGet();
            worker.claimed = true;
            LockSupport.unpark(worker.thread);
            return;
        }
        int count;
        do {
            count = threads.get();
            if (count >= maxThreads) {
                return; // every thread is busy: each takes the next waiting task when it finishes its own
            }
        } while (!threads.compareAndSet(count, count + 1));
        start();
    }

    private void start() {
        Worker worker = new Worker();
        try {
            worker.thread = threadFactory.newThread(worker);
            synchronized (workers) {
                workers.add(worker);
            }
            worker.thread.start();
        } catch (RuntimeException | Error ex) {
            synchronized (workers) {
                workers.remove(worker);
            }
            // the tasks wait for the threads there are (none starting another, which would fail the same way)
            threads.decrementAndGet();
            log.error("Could not start a pool thread", ex);
        }
    }

    private Runnable poll() {
        Runnable task = tasks.poll();
        if (task != null) {
            queued.decrementAndGet();
        }
        return task;
    }

    private final class Worker implements Runnable {
        Thread thread;
        /** Set by the one that took this worker off the idle stack, before it unparks it. */
        volatile boolean claimed;
        /** Taken off the thread count already, when it retired for idling. */
        private boolean retired;
        /** Counted in {@link #waking} until it has looked for its task. */
        private boolean wokenForTask;

        @Override
        public void run() {
            try {
                while (true) {
                    Runnable task = poll();
                    if (wokenForTask) {
                        wokenForTask = false;
                        waking.decrementAndGet();
                        if (!tasks.isEmpty()) {
                            signal();
                        }
                    }
                    if (task != null) {
                        run(task);
                    } else if (stopping || !awaitWork()) {
                        return;
                    }
                }
            } finally {
                synchronized (workers) {
                    workers.remove(this);
                }
                exited(!retired);
            }
        }

        private void run(Runnable task) {
            try {
                task.run();
            } catch (RuntimeException | Error ex) {
                log.error("A pool task failed", ex);
            } finally {
                Thread.interrupted(); // a task's interrupt must not reach the next one
            }
        }

        /** Idles until a task is handed over or the pool stops (true), or until this thread retires (false). */
        private boolean awaitWork() {
            boolean warm = true;
            while (true) {
                claimed = false;
                if (warm) {
                    idle.addFirst(this);
                } else {
                    idle.addLast(this); // it idled a whole keep-alive: the coldest, the last to be woken
                }
                // a task added after this thread found none, whose signal found no idle thread: take it itself
                if ((!tasks.isEmpty() || stopping) && idle.removeFirstOccurrence(this)) {
                    return true;
                }
                long deadline = System.nanoTime() + keepAliveNanos;
                while (!claimed && deadline - System.nanoTime() > 0 && !stopping) {
                    LockSupport.parkNanos(this, deadline - System.nanoTime());
                }
                if (claimed) {
                    wokenForTask = true;
                    return true;
                }
                if (!idle.removeFirstOccurrence(this)) {
                    awaitClaim(); // taken off the stack meanwhile: whoever took it hands it a task
                    wokenForTask = true;
                    return true;
                }
                if (stopping) {
                    return true;
                }
                if (retire()) {
                    return false;
                }
                warm = false;
            }
        }

        private void awaitClaim() {
            while (!claimed) {
                LockSupport.park(this);
            }
        }

        /** Counts this thread off when more than the core threads are left. */
        private boolean retire() {
            int count;
            do {
                count = threads.get();
                if (count <= coreThreads) {
                    return false;
                }
            } while (!threads.compareAndSet(count, count - 1));
            retired = true;
            return true;
        }
    }

    /** A thread ended: it is counted off, and a task that came meanwhile gets a thread. */
    private void exited(boolean countOff) {
        int left = countOff ? threads.decrementAndGet() : threads.get();
        if (!tasks.isEmpty()) {
            signal();
        } else if (left == 0 && stopping) {
            terminated.countDown();
        }
    }

    /** Threads in the pool, busy or idle. */
    public int poolSize() {
        return threads.get();
    }

    /**
     * Threads not idle: running a task, or on their way to one. Counted when asked (Tomcat's busy-thread figure), not
     * on every task.
     */
    public int activeCount() {
        return Math.max(0, threads.get() - idle.size());
    }

    /** Threads waiting for a task. */
    public int idleCount() {
        return idle.size();
    }

    public int maxThreads() {
        return maxThreads;
    }

    @Override
    public void shutdown() {
        stopping = true;
        Worker worker;
        while ((worker = idle.pollFirst()) != null) {
            waking.incrementAndGet();
            worker.claimed = true;
            LockSupport.unpark(worker.thread);
        }
        if (threads.get() == 0 && tasks.isEmpty()) {
            terminated.countDown();
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        List<Runnable> left = new ArrayList<>();
        Runnable task;
        while ((task = poll()) != null) {
            left.add(task);
        }
        shutdown();
        synchronized (workers) {
            workers.forEach(w -> w.thread.interrupt());
        }
        return left;
    }

    @Override
    public boolean isShutdown() {
        return stopping;
    }

    @Override
    public boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }
}
