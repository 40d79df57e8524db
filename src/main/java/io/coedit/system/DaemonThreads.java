package io.coedit.system;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/** Every thread Coedit starts: named after its job (thread dumps and profiles read by name), never holding up exit. */
public final class DaemonThreads {

    private DaemonThreads() {}

    /** Threads named {@code <name>-1}, {@code <name>-2}, ... */
    public static ThreadFactory named(String name) {
        CustomizableThreadFactory factory = new CustomizableThreadFactory(name + "-");
        factory.setDaemon(true);
        return factory;
    }

    /**
     * A fixed number of such threads taking tasks in order from an unbounded queue: a wave of work queues up instead
     * of starting a thread each.
     */
    public static ExecutorService fixedPool(int threads, String name) {
        return new ThreadPoolExecutor(
                threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), named(name));
    }
}
