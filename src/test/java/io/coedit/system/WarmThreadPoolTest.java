package io.coedit.system;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The request pool's contract: each task goes to the thread that idled last, threads start only when none idles and
 * never beyond the maximum, tasks beyond wait in order and none is lost or run twice, idle threads beyond the core
 * retire, and a shutdown runs what waits.
 */
class WarmThreadPoolTest {

    private final List<WarmThreadPool> pools = new ArrayList<>();

    private WarmThreadPool pool(int core, int max, int queueCapacity, Duration keepAlive) {
        WarmThreadPool pool = new WarmThreadPool(core, max, queueCapacity, keepAlive, DaemonThreads.named("warm-test"));
        pools.add(pool);
        return pool;
    }

    @AfterEach
    void shutDown() throws InterruptedException {
        for (WarmThreadPool pool : pools) {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** Runs {@code tasks} blocking tasks at once and returns their threads once all run; they end on release. */
    private static List<Thread> occupy(WarmThreadPool pool, int tasks, CountDownLatch release) throws Exception {
        AtomicReferenceArray<Thread> ranOn = new AtomicReferenceArray<>(tasks);
        CountDownLatch started = new CountDownLatch(tasks);
        for (int i = 0; i < tasks; i++) {
            int index = i;
            pool.execute(() -> {
                ranOn.set(index, Thread.currentThread());
                started.countDown();
                awaitQuietly(release);
            });
        }
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            threads.add(ranOn.get(i));
        }
        return threads;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread ranOn(WarmThreadPool pool) throws Exception {
        AtomicReference<Thread> thread = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        pool.execute(() -> {
            thread.set(Thread.currentThread());
            done.countDown();
        });
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        return thread.get();
    }

    @Test
    void eachTaskGoesToTheThreadThatWentIdleLast() throws Exception {
        WarmThreadPool pool = pool(0, 8, Integer.MAX_VALUE, Duration.ofMinutes(1));
        List<CountDownLatch> releases = List.of(new CountDownLatch(1), new CountDownLatch(1), new CountDownLatch(1));
        List<Thread> threads = new ArrayList<>();
        for (CountDownLatch release : releases) {
            threads.addAll(occupy(pool, 1, release));
        }
        assertThat(Set.copyOf(threads)).hasSize(3);

        for (int i = 0; i < releases.size(); i++) {
            releases.get(i).countDown();
            int idle = i + 1;
            await().atMost(Duration.ofSeconds(10)).until(() -> pool.idleCount() == idle);
        }

        // a ThreadPoolExecutor would hand these to the first thread to go idle, the coldest
        for (int i = 0; i < 20; i++) {
            assertThat(ranOn(pool)).isSameAs(threads.get(2));
            await().atMost(Duration.ofSeconds(10)).until(() -> pool.idleCount() == 3); // it is idle again
        }
        assertThat(pool.poolSize()).isEqualTo(3);
    }

    @Test
    void aThreadStartsOnlyWhenNoneIdlesAndNeverBeyondTheMaximum() throws Exception {
        WarmThreadPool pool = pool(0, 2, Integer.MAX_VALUE, Duration.ofMinutes(1));
        Thread first = ranOn(pool);
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.idleCount() == 1);
        assertThat(ranOn(pool)).isSameAs(first);
        assertThat(pool.poolSize()).isEqualTo(1);

        CountDownLatch release = new CountDownLatch(1);
        occupy(pool, 2, release);
        CountDownLatch queuedRan = new CountDownLatch(1);
        pool.execute(queuedRan::countDown);

        assertThat(queuedRan.await(200, TimeUnit.MILLISECONDS)).isFalse(); // both threads busy: it waits
        assertThat(pool.poolSize()).isEqualTo(2);
        release.countDown();
        assertThat(queuedRan.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pool.poolSize()).isEqualTo(2);
    }

    @Test
    void tasksThatWaitForAThreadRunInTheOrderTheyCame() throws Exception {
        WarmThreadPool pool = pool(0, 1, Integer.MAX_VALUE, Duration.ofMinutes(1));
        CountDownLatch release = new CountDownLatch(1);
        occupy(pool, 1, release);
        List<Integer> order = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(100);
        for (int i = 0; i < 100; i++) {
            int index = i;
            pool.execute(() -> {
                order.add(index); // one thread: no race
                done.countDown();
            });
        }

        release.countDown();

        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(order).isSorted().hasSize(100);
    }

    @Test
    void aTaskBeyondTheQueueCapacityIsRejectedAndTheOthersStillRun() throws Exception {
        WarmThreadPool pool = pool(0, 1, 2, Duration.ofMinutes(1));
        CountDownLatch release = new CountDownLatch(1);
        occupy(pool, 1, release);
        AtomicInteger ran = new AtomicInteger();
        pool.execute(ran::incrementAndGet);
        pool.execute(ran::incrementAndGet);
        pool.execute(ran::incrementAndGet); // the one per thread that may be on its way to it

        assertThatThrownBy(() -> pool.execute(ran::incrementAndGet)).isInstanceOf(RejectedExecutionException.class);
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.get() == 3);
    }

    @Test
    void threadsBeyondTheCoreRetireAfterIdlingTheKeepAlive() throws Exception {
        WarmThreadPool pool = pool(1, 4, Integer.MAX_VALUE, Duration.ofMillis(100));
        CountDownLatch release = new CountDownLatch(1);
        occupy(pool, 4, release);
        assertThat(pool.poolSize()).isEqualTo(4);

        release.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> pool.poolSize() == 1);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10)).until(() -> pool.poolSize() == 1);
        assertThat(ranOn(pool)).isNotNull();
    }

    @Test
    void underManySubmittersEveryTaskRunsExactlyOnce() throws Exception {
        WarmThreadPool pool = pool(0, 3, Integer.MAX_VALUE, Duration.ofMillis(1));
        int submitters = 4;
        int each = 50_000;
        AtomicInteger[] runs = new AtomicInteger[submitters * each];
        for (int i = 0; i < runs.length; i++) {
            runs[i] = new AtomicInteger();
        }
        CountDownLatch done = new CountDownLatch(runs.length);
        CyclicBarrier go = new CyclicBarrier(submitters);
        List<Thread> threads = new ArrayList<>();
        Set<Thread> poolThreads = ConcurrentHashMap.newKeySet();
        for (int s = 0; s < submitters; s++) {
            int first = s * each;
            Thread submitter = new Thread(() -> {
                try {
                    go.await();
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
                for (int i = first; i < first + each; i++) {
                    AtomicInteger count = runs[i];
                    pool.execute(() -> {
                        count.incrementAndGet();
                        poolThreads.add(Thread.currentThread());
                        done.countDown();
                    });
                    if (i % 1000 == 0) {
                        Thread.yield(); // lets threads idle and retire between bursts
                    }
                }
            });
            submitter.start();
            threads.add(submitter);
        }
        for (Thread submitter : threads) {
            submitter.join();
        }

        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        long notOnce = Arrays.stream(runs).filter(count -> count.get() != 1).count();
        assertThat(notOnce).isZero();
        assertThat(pool.poolSize()).isLessThanOrEqualTo(3);
    }

    @Test
    void aShutdownRunsTheWaitingTasksRefusesNewOnesAndEnds() throws Exception {
        WarmThreadPool pool = pool(2, 2, Integer.MAX_VALUE, Duration.ofMinutes(1));
        CountDownLatch release = new CountDownLatch(1);
        occupy(pool, 2, release);
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 10; i++) {
            pool.execute(ran::incrementAndGet);
        }

        pool.shutdown();

        assertThatThrownBy(() -> pool.execute(ran::incrementAndGet)).isInstanceOf(RejectedExecutionException.class);
        assertThat(pool.isTerminated()).isFalse();
        release.countDown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran.get()).isEqualTo(10);
        assertThat(pool.poolSize()).isZero();
    }

    @Test
    void aFailingTaskCostsOnlyItself() throws Exception {
        WarmThreadPool pool = pool(0, 1, Integer.MAX_VALUE, Duration.ofMinutes(1));
        pool.execute(() -> {
            throw new IllegalStateException("this task fails");
        });

        assertThat(ranOn(pool)).isNotNull();
        assertThat(pool.poolSize()).isEqualTo(1);
    }
}
