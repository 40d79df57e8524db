package io.coedit.ws;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.tomcat.util.threads.TaskQueue;
import org.apache.tomcat.util.threads.TaskThreadFactory;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.tomcat.autoconfigure.TomcatServerProperties;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

import io.coedit.system.DaemonThreads;

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
 * <p>So the request pool is Tomcat's own kind of pool, sized by {@code server.tomcat.threads.*} as Tomcat would
 * size it, except that it hands the completion tasks to a small pool of their own. A completion only releases the
 * session and starts its next queued write, which never blocks, so a few threads carry every completion. A send the
 * socket took at once finishes on the thread that sent it instead ({@link InlineCompletions}).
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
        pools.forEach(ThreadPoolExecutor::shutdown);
        completions.shutdown();
        for (RequestPool pool : pools) {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
        completions.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Tomcat's request pool, as its endpoint builds it, that runs write completions on their own threads. */
    private static final class RequestPool extends ThreadPoolExecutor {
        private final TomcatWriteCompletions owner;

        private RequestPool(int minSpare, int max, TaskQueue queue, TomcatWriteCompletions owner) {
            super(minSpare, max, 60, TimeUnit.SECONDS, queue, threads());
            this.owner = owner;
        }

        private static TaskThreadFactory threads() {
            return new TaskThreadFactory("http-exec-", true, Thread.NORM_PRIORITY);
        }

        static RequestPool create(int minSpare, int max, int queueCapacity, TomcatWriteCompletions owner) {
            TaskQueue queue = new TaskQueue(queueCapacity);
            RequestPool pool = new RequestPool(minSpare, max, queue, owner);
            queue.setParent(pool);
            return pool;
        }

        @Override
        public void execute(Runnable task) {
            if (owner.isCompletion(task)) {
                if (!InlineCompletions.ranHere(task)) {
                    owner.completions.execute(task);
                }
            } else {
                super.execute(task);
            }
        }
    }
}
