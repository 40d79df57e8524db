package io.coedit.ws;

import java.lang.reflect.Constructor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import jakarta.websocket.SendHandler;

import org.apache.tomcat.websocket.WsSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where Tomcat's completion of a non-blocking send runs: on the sending thread when the socket took the frame within
 * the send, on the completion threads otherwise; never on the request threads.
 */
class TomcatWriteCompletionsTest {

    private final TomcatWriteCompletions completions = new TomcatWriteCompletions(null);
    private final Executor requestPool = completions.requestPool(1, 4, Integer.MAX_VALUE);

    @AfterEach
    void shutDown() throws InterruptedException {
        completions.destroy();
    }

    /** Tomcat's own completion task, as it builds one for a send that finished, reporting the thread it ran on. */
    private static Runnable completionTask(CompletableFuture<Thread> ranOn) throws Exception {
        Constructor<?> constructor = Class.forName(TomcatWriteCompletions.COMPLETION_TASK)
                .getDeclaredConstructor(WsSession.class, SendHandler.class, Throwable.class);
        constructor.setAccessible(true);
        SendHandler handler = result -> ranOn.complete(Thread.currentThread());
        return (Runnable) constructor.newInstance(null, handler, null);
    }

    @Test
    void aSendCompletedWithinAnOutboxSendFinishesOnTheSendingThread() throws Exception {
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        boolean opened = InlineCompletions.open();
        try {
            requestPool.execute(completionTask(ranOn));
        } finally {
            InlineCompletions.close(opened);
        }

        assertThat(ranOn).isCompletedWithValue(Thread.currentThread());
    }

    @Test
    void aSendCompletedLaterFinishesOnTheCompletionThreads() throws Exception {
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();

        requestPool.execute(completionTask(ranOn));

        assertThat(ranOn.get(5, TimeUnit.SECONDS).getName()).startsWith("coedit-ws-sent");
    }

    @Test
    void aCompletionThatArrivesWhileOneRunsOnTheSendingThreadIsHandedOver() throws Exception {
        CompletableFuture<Thread> nestedRanOn = new CompletableFuture<>();
        Runnable nested = completionTask(nestedRanOn);
        CompletableFuture<Thread> outerRanOn = new CompletableFuture<>();
        Runnable outer = () -> {
            requestPool.execute(nested); // a long message's next part, written from the first part's completion
            outerRanOn.complete(Thread.currentThread());
        };
        boolean opened = InlineCompletions.open();
        try {
            assertThat(InlineCompletions.ranHere(outer)).isTrue();
        } finally {
            InlineCompletions.close(opened);
        }

        assertThat(outerRanOn).isCompletedWithValue(Thread.currentThread());
        assertThat(nestedRanOn.get(5, TimeUnit.SECONDS).getName()).startsWith("coedit-ws-sent");
    }

    @Test
    void otherTasksStillRunOnTheRequestThreads() throws Exception {
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        boolean opened = InlineCompletions.open();
        try {
            requestPool.execute(() -> ranOn.complete(Thread.currentThread()));
        } finally {
            InlineCompletions.close(opened);
        }

        assertThat(ranOn.get(5, TimeUnit.SECONDS).getName()).startsWith("http-exec-");
    }

    @Test
    void aWindowOpenedFurtherUpTheStackOutlastsAnInnerOne() {
        boolean outer = InlineCompletions.open();
        boolean inner = InlineCompletions.open();
        InlineCompletions.close(inner);

        assertThat(InlineCompletions.ranHere(() -> {})).isTrue();
        InlineCompletions.close(outer);
        assertThat(InlineCompletions.ranHere(() -> {})).isFalse();
    }
}
