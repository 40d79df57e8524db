package io.coedit.ws;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.tomcat.util.threads.ResizableExecutor;
import org.apache.tomcat.util.threads.TaskThreadFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.tomcat.autoconfigure.TomcatServerProperties;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

import io.coedit.system.DaemonThreads;
import io.coedit.system.WarmThreadPool;

/**
 * Gives Tomcat's WebSocket write completions threads of their own, so that a wave of closing clients cannot stall
 * the server.
 *
 * <p>Tomcat finishes every non-blocking send with a task on its request pool ({@link #COMPLETION_TASK}); until that
 * task has run, the session counts as writing. It answers a client's close frame on the request thread that read
 * it, and first waits, spinning on {@code Thread.yield()}, for the session's write in progress. When many clients
 * close at once while the server writes to them (a deploy, a network blip, the end of every benchmark workload),
 * those waits take every request thread, the tasks that would end them queue behind them, and the instance answers
 * nothing, no handshake and no frame, until the blocking send timeout ({@code coedit.ws.send-time-limit}) fails the
 * waits. A profile of such a wave showed half of an instance's CPU in that spin.
 *
 * <p>So the request pool, sized by {@code server.tomcat.threads.*} as Tomcat would size it, hands the completion
 * tasks to a small pool of their own. A completion only releases the session and starts its next queued write, which
 * never blocks, so a few threads carry every completion. A send the socket took at once finishes on the thread that
 * sent it instead ({@link InlineCompletions}).
 */
@Component
class TomcatWriteCompletions implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, DisposableBean {

    /** Tomcat's task that finishes a non-blocking WebSocket send (Tomcat 10.1 and 11). */
    static final String COMPLETION_TASK =
            "org.apache.tomcat.websocket.server.WsRemoteEndpointImplServer$OnResultRunnable";

    private final ExecutorService completions =
            DaemonThreads.fixedPool(Math.max(2, Runtime.getRuntime().availableProcessors()), "coedit-ws-sent");
    private final ObjectProvider<TomcatServerProperties> tomcat;
    private final List<RequestPool> pools = new CopyOnWriteArrayList<>();

    TomcatWriteCompletions(ObjectProvider<TomcatServerProperties> tomcat) {
        this.tomcat = tomcat;
    }

    @Override
    public void customize(ConfigurableTomcatWebServerFactory factory) {
        TomcatServerProperties.Threads threads =
                tomcat.getIfAvailable(TomcatServerProperties::new).getThreads();
        Executor pool = requestPool(threads.getMinSpare(), threads.getMax(), threads.getMaxQueueCapacity());
        factory.addProtocolHandlerCustomizers(protocol -> protocol.setExecutor(pool));
    }

    /** A request pool for one connector, shut down with this bean. */
    Executor requestPool(int minSpare, int max, int queueCapacity) {
        RequestPool pool = RequestPool.create(minSpare, max, queueCapacity, this);
        pools.add(pool);
        return pool;
    }

    boolean isCompletion(Runnable task) {
        return task.getClass().getName().equals(COMPLETION_TASK);
    }

    /** Tomcat stops using the pool with its connector, before beans are destroyed, and leaves a pool it was given. */
    @Override
    public void destroy() throws InterruptedException {
        pools.forEach(RequestPool::shutdown);
        completions.shutdown();
        for (RequestPool pool : pools) {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
        completions.awaitTermination(5, TimeUnit.SECONDS);
    }

    /**
     * Tomcat's request pool, sized as its endpoint sizes one, that wakes the thread idle last rather than the one idle
     * longest ({@link WarmThreadPool}), and runs write completions on their own threads.
     */
    private static final class RequestPool implements ResizableExecutor {
        /** Tomcat's default for how long a thread beyond the spare ones idles before it ends. */
        private static final Duration KEEP_ALIVE = Duration.ofSeconds(60);

        private final WarmThreadPool threads;
        private final TomcatWriteCompletions owner;

        private RequestPool(WarmThreadPool threads, TomcatWriteCompletions owner) {
            this.threads = threads;
            this.owner = owner;
        }

        static RequestPool create(int minSpare, int max, int queueCapacity, TomcatWriteCompletions owner) {
            return new RequestPool(
                    new WarmThreadPool(
                            minSpare,
                            max,
                            queueCapacity,
                            KEEP_ALIVE,
                            new TaskThreadFactory("http-exec-", true, Thread.NORM_PRIORITY)),
                    owner);
        }

        @Override
        public void execute(Runnable task) {
            if (owner.isCompletion(task)) {
                if (!InlineCompletions.ranHere(task)) {
                    owner.completions.execute(task);
                }
            } else {
                threads.execute(task);
            }
        }

        @Override
        public int getPoolSize() {
            return threads.poolSize();
        }

        @Override
        public int getMaxThreads() {
            return threads.maxThreads();
        }

        @Override
        public int getActiveCount() {
            return threads.activeCount();
        }

        @Override
        public boolean resizePool(int corePoolSize, int maximumPoolSize) {
            return false; // sized by server.tomcat.threads.* at start
        }

        @Override
        public boolean resizeQueue(int capacity) {
            return false;
        }

        void shutdown() {
            threads.shutdown();
        }

        boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            return threads.awaitTermination(timeout, unit);
        }
    }
}
