package io.coedit.ws;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;

import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

import io.coedit.system.HeldWrites;

import static org.assertj.core.api.Assertions.assertThat;

/** One write at a time, in order, never blocking the sender, and a bounded queue for a reader that falls behind. */
class OutboxTest {

    /**
     * A container whose writes complete only when the test says so, except while it batches: then a message goes
     * into its buffer and completes at once, and the flush is the write that waits ({@code <flush>} in
     * {@link #written}, beside {@code <start>} and {@code <stop>}).
     */
    private static final class ManualRemote implements Outbox.Batch {
        final List<String> written = new ArrayList<>();
        final List<SendHandler> pending = new ArrayList<>();
        boolean batching;
        /** False: the container refuses to batch (its session is closing), as {@link TomcatBatch} may. */
        boolean canBatch = true;

        final RemoteEndpoint.Async remote = Mockito.mock(RemoteEndpoint.Async.class, invocation -> {
            if (invocation.getMethod().getName().equals("sendText") && invocation.getArguments().length == 2) {
                written.add(invocation.getArgument(0));
                if (batching) {
                    invocation.<SendHandler>getArgument(1).onResult(new SendResult());
                } else {
                    pending.add(invocation.getArgument(1));
                }
            }
            return null;
        });

        @Override
        public boolean start() {
            assertThat(batching).isFalse();
            if (!canBatch) {
                written.add("<refused>");
                return false;
            }
            batching = true;
            written.add("<start>");
            return true;
        }

        /** Room for a few short messages beside a control frame. */
        int capacity = Outbox.CONTROL_FRAME_BYTES + 64;

        @Override
        public int capacity() {
            return capacity;
        }

        @Override
        public void flush(SendHandler done) {
            assertThat(batching).isTrue();
            written.add("<flush>");
            pending.add(done);
        }

        @Override
        public void stop() {
            assertThat(batching).isTrue();
            assertThat(pending).isEmpty();
            batching = false;
            written.add("<stop>");
        }

        void completeNext() {
            pending.remove(0).onResult(new SendResult());
        }

        void failNext() {
            pending.remove(0).onResult(new SendResult(new IllegalStateException("broken pipe")));
        }
    }

    private final ManualRemote container = new ManualRemote();
    private final AtomicInteger overflows = new AtomicInteger();

    @Test
    void writesOneMessageAtATimeInTheOrderTheyWereSent() {
        Outbox outbox = new Outbox(container.remote, 1 << 20, overflows::incrementAndGet);
        outbox.send("a");
        outbox.send("b");
        outbox.send("c");
        assertThat(container.written).containsExactly("a");
        assertThat(outbox.idle()).isFalse();
        container.completeNext();
        container.completeNext();
        container.completeNext();
        assertThat(container.written).containsExactly("a", "b", "c");
        assertThat(outbox.idle()).isTrue();
        assertThat(overflows).hasValue(0);
    }

    @Test
    void writesThatCompleteInlineAreDrainedWithoutRecursion() {
        RemoteEndpoint.Async inline = Mockito.mock(RemoteEndpoint.Async.class);
        List<String> written = new ArrayList<>();
        Outbox[] outbox = new Outbox[1];
        Mockito.doAnswer(invocation -> {
                    written.add(invocation.getArgument(0));
                    if (written.size() == 1) {
                        // another sender queues while the first write is on its way; the write then completes inline
                        for (int i = 0; i < 10_000; i++) {
                            outbox[0].send("m" + i);
                        }
                    }
                    invocation.<SendHandler>getArgument(1).onResult(new SendResult());
                    return null;
                })
                .when(inline)
                .sendText(Mockito.anyString(), Mockito.any(SendHandler.class));
        outbox[0] = new Outbox(inline, 1 << 20, overflows::incrementAndGet);
        outbox[0].send("first");
        assertThat(written).hasSize(10_001).startsWith("first", "m0").endsWith("m9999");
        assertThat(outbox[0].idle()).isTrue();
    }

    @Test
    void aWriteThatFailsWithinTheSendIsReportedOnceTheSendHasReturned() {
        RemoteEndpoint.Async failing = Mockito.mock(RemoteEndpoint.Async.class);
        boolean[] sending = new boolean[1];
        List<Boolean> reportedWhileSending = new ArrayList<>();
        Mockito.doAnswer(invocation -> {
                    sending[0] = true;
                    invocation.<SendHandler>getArgument(1).onResult(new SendResult(new IllegalStateException("reset")));
                    sending[0] = false;
                    return null;
                })
                .when(failing)
                .sendText(Mockito.anyString(), Mockito.any(SendHandler.class));
        Outbox outbox = new Outbox(failing, 1 << 20, () -> reportedWhileSending.add(sending[0]));

        outbox.send("a");
        outbox.send("b");

        assertThat(reportedWhileSending).containsExactly(false);
        Mockito.verify(failing).sendText(Mockito.eq("a"), Mockito.any(SendHandler.class));
        Mockito.verifyNoMoreInteractions(failing);
        assertThat(outbox.idle()).isFalse();
    }

    @Test
    void theByteLimitCountsTheUtf8BytesQueuedNotTheCharacters() {
        Outbox outbox = new Outbox(container.remote, 10, overflows::incrementAndGet);
        outbox.send("in flight");
        outbox.send("éééé"); // 4 characters, 8 bytes
        outbox.send("12");
        assertThat(overflows).hasValue(0);
        outbox.send("€"); // 1 character, 3 bytes: 11 bytes queued
        assertThat(overflows).hasValue(1);
    }

    @Test
    void aReaderThatFallsBehindItsByteLimitIsReportedOnceAndGetsNothingMore() {
        Outbox outbox = new Outbox(container.remote, 10, overflows::incrementAndGet);
        outbox.send("in flight");
        outbox.send("12345");
        outbox.send("67890");
        assertThat(overflows).hasValue(0);
        outbox.send("x");
        assertThat(overflows).hasValue(1);
        container.completeNext();
        outbox.send("after");
        assertThat(container.written).containsExactly("in flight");
        assertThat(overflows).hasValue(1);
    }

    @Test
    void aFailedWriteIsReportedAsASlowConsumer() {
        Outbox outbox = new Outbox(container.remote, 1 << 20, overflows::incrementAndGet);
        outbox.send("a");
        outbox.send("b");
        container.failNext();
        assertThat(overflows).hasValue(1);
        assertThat(container.written).containsExactly("a");
    }

    @Test
    void aWriteInFlightPastTheLimitIsStalledAndCompletedWritesAreSignsOfLife() throws InterruptedException {
        Outbox outbox = new Outbox(container.remote, 1 << 20, overflows::incrementAndGet);
        long before = outbox.lastWrittenNanos();
        outbox.send("a");
        long now = System.nanoTime();
        assertThat(outbox.stalled(now, Long.MAX_VALUE / 4)).isFalse();
        assertThat(outbox.stalled(now + 1_000_000_000L, 500_000_000L)).isTrue();
        Thread.sleep(2);
        container.completeNext();
        assertThat(outbox.stalled(now + 1_000_000_000L, 500_000_000L)).isFalse();
        assertThat(outbox.lastWrittenNanos()).isGreaterThan(before);
    }

    @Test
    void aClosedOutboxDropsWhatIsQueuedAndSendsNothingMore() {
        Outbox outbox = new Outbox(container.remote, 1 << 20, overflows::incrementAndGet);
        outbox.send("a");
        outbox.send("queued");
        outbox.close();
        container.completeNext();
        outbox.send("late");
        assertThat(container.written).containsExactly("a");
        assertThat(overflows).hasValue(0);
    }

    @Test
    void aCloseWaitsUntilWhatWasQueuedBeforeItIsWritten() {
        Outbox outbox = new Outbox(container.remote, 1 << 20, overflows::incrementAndGet);
        AtomicInteger closes = new AtomicInteger();
        outbox.send("presence");
        outbox.send("error: rate_limited");

        outbox.closeAfterQueued(closes::incrementAndGet);
        outbox.send("after the close");
        assertThat(closes).hasValue(0);
        container.completeNext();
        assertThat(closes).hasValue(0);
        container.completeNext();

        assertThat(container.written).containsExactly("presence", "error: rate_limited");
        assertThat(closes).hasValue(1);
        assertThat(overflows).hasValue(0);
    }

    @Test
    void aCloseWithNothingBeingWrittenHappensAtOnce() {
        Outbox outbox = new Outbox(container.remote, 1 << 20, overflows::incrementAndGet);
        AtomicInteger closes = new AtomicInteger();

        outbox.closeAfterQueued(closes::incrementAndGet);
        outbox.closeAfterQueued(closes::incrementAndGet);

        assertThat(closes).hasValue(1);
        outbox.send("too late");
        assertThat(container.written).isEmpty();
    }

    @Test
    void aCloseWaitingOnAWriteThatFailsStillHappensOnce() {
        Outbox outbox = new Outbox(container.remote, 1 << 20, overflows::incrementAndGet);
        AtomicInteger closes = new AtomicInteger();
        outbox.send("a");
        outbox.send("b");
        outbox.closeAfterQueued(closes::incrementAndGet);

        container.failNext();

        assertThat(closes).hasValue(1);
        assertThat(overflows).hasValue(0);
        assertThat(container.written).containsExactly("a");
    }

    @Test
    void messagesQueuedBehindAWriteLeaveInOneBatchAndTheOutboxIsIdleOnlyOnceItIsFlushed() {
        Outbox outbox = new Outbox(container.remote, 1 << 20, overflows::incrementAndGet, container);
        outbox.send("a");
        outbox.send("b");
        outbox.send("c");
        outbox.send("d");

        container.completeNext();

        assertThat(container.written).containsExactly("a", "<start>", "b", "c", "d", "<flush>");
        assertThat(outbox.idle()).isFalse();
        container.completeNext();
        assertThat(container.written).endsWith("<flush>", "<stop>");
        assertThat(outbox.idle()).isTrue();
        assertThat(overflows).hasValue(0);
    }

    @Test
    void messagesQueuedBehindAWriteGoOutOneByOneWhenTheContainerRefusesToBatch() {
        container.canBatch = false;
        Outbox outbox = new Outbox(container.remote, 1 << 20, overflows::incrementAndGet, container);
        outbox.send("a");
        outbox.send("b");
        outbox.send("c");

        container.completeNext();
        assertThat(container.written).containsExactly("a", "<refused>", "b");
        container.completeNext();
        container.completeNext();

        // no flush and no stop of a batch that never started: each message was its own write
        assertThat(container.written).containsExactly("a", "<refused>", "b", "c");
        assertThat(outbox.idle()).isTrue();
        assertThat(overflows).hasValue(0);
    }

    @Test
    void aBatchIsFlushedBeforeAMessageThatWouldOverflowTheContainersBuffer() {
        // room for 64 bytes of frames: three 20-character messages (22 bytes a frame) do not fit together
        Outbox outbox = new Outbox(container.remote, 1 << 20, overflows::incrementAndGet, container);
        String twenty = "x".repeat(20);
        outbox.send("first");
        outbox.send(twenty + "a");
        outbox.send(twenty + "b");
        outbox.send(twenty + "c");

        container.completeNext();
        assertThat(container.written).containsExactly("first", "<start>", twenty + "a", twenty + "b", "<flush>");
        container.completeNext();
        assertThat(container.written).endsWith("<flush>", twenty + "c", "<flush>");
        container.completeNext();

        assertThat(container.written).endsWith("<stop>");
        assertThat(outbox.idle()).isTrue();
    }

    @Test
    void aMessageBiggerThanTheContainersBufferIsWrittenOnItsOwnWithBatchingStopped() {
        Outbox outbox = new Outbox(container.remote, 1 << 20, overflows::incrementAndGet, container);
        String big = "y".repeat(container.capacity);
        outbox.send("first");
        outbox.send("small");
        outbox.send(big);
        outbox.send("last");

        container.completeNext();
        assertThat(container.written).containsExactly("first", "<start>", "small", "<flush>");
        container.completeNext();
        // flushed, so batching stops before the big one, which is a write of its own
        assertThat(container.written).endsWith("<flush>", "<stop>", big);
        container.completeNext();
        container.completeNext();

        assertThat(container.written).containsExactly("first", "<start>", "small", "<flush>", "<stop>", big, "last");
        assertThat(outbox.idle()).isTrue();
    }

    @Test
    void messagesSentDuringHeldWorkLeaveTogetherWhenItEnds() {
        Outbox outbox = new Outbox(container.remote, 1 << 20, overflows::incrementAndGet, container);
        HeldWrites.around(() -> {
            outbox.send("a");
            outbox.send("b");
            outbox.send("c");
            assertThat(container.written).isEmpty();
            assertThat(outbox.idle()).isFalse();
        });

        assertThat(container.written).containsExactly("<start>", "a", "b", "c", "<flush>");
        container.completeNext();
        assertThat(container.written).endsWith("<stop>");
        assertThat(outbox.idle()).isTrue();
    }

    @Test
    void oneMessageHeldLeavesOnItsOwnWhenTheWorkEnds() {
        Outbox outbox = new Outbox(container.remote, 1 << 20, overflows::incrementAndGet, container);
        HeldWrites.around(() -> outbox.send("a"));

        assertThat(container.written).containsExactly("a");
        container.completeNext();
        assertThat(outbox.idle()).isTrue();
    }

    @Test
    void anOutboxClosedWhileItHoldsWritesNothing() {
        Outbox outbox = new Outbox(container.remote, 1 << 20, overflows::incrementAndGet, container);
        HeldWrites.around(() -> {
            outbox.send("a");
            outbox.close();
        });

        assertThat(container.written).isEmpty();
        assertThat(overflows).hasValue(0);
    }

    @Test
    void oneMessageQueuedBehindAWriteIsWrittenOnItsOwn() {
        Outbox outbox = new Outbox(container.remote, 1 << 20, overflows::incrementAndGet, container);
        outbox.send("a");
        outbox.send("b");

        container.completeNext();
        container.completeNext();

        assertThat(container.written).containsExactly("a", "b");
        assertThat(outbox.idle()).isTrue();
    }

    @Test
    void messagesSentDuringAFlushGoIntoTheNextFlushBeforeBatchingStops() {
        Outbox outbox = batchingOutboxWritingAWithBAndCQueued();
        container.completeNext();
        outbox.send("e");
        outbox.send("f");

        container.completeNext();

        assertThat(container.written).containsExactly("a", "<start>", "b", "c", "<flush>", "e", "f", "<flush>");
        container.completeNext();
        assertThat(container.written).last().isEqualTo("<stop>");
        assertThat(outbox.idle()).isTrue();
    }

    @Test
    void aCloseAfterQueuedWaitsForTheBatchToBeFlushed() {
        Outbox outbox = batchingOutboxWritingAWithBAndCQueued();
        AtomicInteger closes = new AtomicInteger();
        outbox.closeAfterQueued(closes::incrementAndGet);

        container.completeNext();
        assertThat(closes).hasValue(0);
        container.completeNext();

        assertThat(container.written).containsExactly("a", "<start>", "b", "c", "<flush>", "<stop>");
        assertThat(closes).hasValue(1);
    }

    @Test
    void aFlushThatFailsIsReportedAsASlowConsumer() {
        Outbox outbox = batchingOutboxWritingAWithBAndCQueued();
        container.completeNext();

        container.failNext();

        assertThat(overflows).hasValue(1);
        outbox.send("too late");
        assertThat(container.written).doesNotContain("too late");
    }

    private Outbox batchingOutboxWritingAWithBAndCQueued() {
        Outbox outbox = new Outbox(container.remote, 1 << 20, overflows::incrementAndGet, container);
        outbox.send("a");
        outbox.send("b");
        outbox.send("c");
        return outbox;
    }

    private final List<Outbox> waits = new ArrayList<>();

    private Outbox waitingOutbox(long limitBytes) {
        return new Outbox(
                Outbox.Writer.of(container.remote), limitBytes, overflows::incrementAndGet, container, waits::add);
    }

    @Test
    void presenceFramesForAnIdleSessionWaitAndLeaveInOneWriteWhenTheWaitEnds() {
        Outbox outbox = waitingOutbox(1 << 20);
        outbox.sendSoon(TextFrame.of("j1"));
        outbox.sendSoon(TextFrame.of("j2"));
        outbox.sendSoon(TextFrame.of("j3"));

        assertThat(container.written).isEmpty();
        assertThat(waits).containsExactly(outbox);
        assertThat(outbox.idle()).isFalse();

        outbox.endWait();
        assertThat(container.written).containsExactly("<start>", "j1", "j2", "j3", "<flush>");
        container.completeNext();
        assertThat(container.written).endsWith("<stop>");
        assertThat(outbox.idle()).isTrue();
        assertThat(overflows).hasValue(0);
    }

    @Test
    void aFrameThatMayNotWaitTakesTheWaitingOnesAlongInTheOrderTheyCame() {
        Outbox outbox = waitingOutbox(1 << 20);
        outbox.sendSoon(TextFrame.of("j1"));
        outbox.sendSoon(TextFrame.of("j2"));
        outbox.send("op");

        assertThat(container.written).containsExactly("<start>", "j1", "j2", "op", "<flush>");
        container.completeNext();
        outbox.endWait(); // the timer comes later: nothing is left to write

        assertThat(container.written).containsExactly("<start>", "j1", "j2", "op", "<flush>", "<stop>");
        assertThat(outbox.idle()).isTrue();
    }

    @Test
    void aPresenceFrameBehindAWriteInFlightLeavesWithItsNextWriteWithoutWaiting() {
        Outbox outbox = waitingOutbox(1 << 20);
        outbox.send("op");
        outbox.sendSoon(TextFrame.of("j1"));

        container.completeNext();

        assertThat(container.written).containsExactly("op", "j1");
        assertThat(waits).isEmpty();
    }

    @Test
    void framesHeldByWorkThatEndsAWaitLeaveWhenTheWorkEnds() {
        Outbox outbox = waitingOutbox(1 << 20);
        outbox.sendSoon(TextFrame.of("j1"));
        HeldWrites.around(() -> {
            outbox.send("op1");
            outbox.send("op2");
            assertThat(container.written).isEmpty();
        });

        assertThat(container.written).containsExactly("<start>", "j1", "op1", "op2", "<flush>");
        outbox.endWait();
        assertThat(container.written).hasSize(5);
    }

    @Test
    void aCloseEndsTheWaitSoTheMessageThatExplainsItLeavesAtOnce() {
        Outbox outbox = waitingOutbox(1 << 20);
        AtomicInteger closes = new AtomicInteger();
        outbox.sendSoon(TextFrame.of("j1"));
        outbox.closeAfterQueued(closes::incrementAndGet);

        assertThat(container.written).containsExactly("j1");
        assertThat(closes).hasValue(0);
        container.completeNext();
        assertThat(closes).hasValue(1);
        outbox.endWait();
        assertThat(container.written).containsExactly("j1");
    }

    @Test
    void waitingFramesCountTowardsTheByteLimit() {
        Outbox outbox = waitingOutbox(10);
        outbox.sendSoon(TextFrame.of("12345"));
        outbox.sendSoon(TextFrame.of("12345"));
        assertThat(overflows).hasValue(0);

        outbox.sendSoon(TextFrame.of("x"));

        assertThat(overflows).hasValue(1);
        outbox.endWait();
        assertThat(container.written).isEmpty();
        assertThat(outbox.idle()).isFalse();
    }
}
