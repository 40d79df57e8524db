package io.coedit.document;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

import org.junit.jupiter.api.Test;

import io.coedit.error.ErrorCode;
import io.coedit.ot.TextOperation;
import io.coedit.support.ForwardingDocumentStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The submit queue: it finishes what it holds when stopped and takes submits again when restarted, a commit the
 * store has not answered yet holds none of its threads, and only documents with few sessions take the short paths:
 * an idle one's commit sent by the submitting thread, and answers sent on the store's thread.
 */
class SubmitQueueTest {

    private static final DocumentId DOC = new DocumentId("queued");

    /** The in-memory store, whose commits can be held unanswered, as a commit sent to Redis is until it replies. */
    private static final class HeldCommitsStore extends ForwardingDocumentStore {
        private final Map<DocumentId, CompletableFuture<Void>> gates = new ConcurrentHashMap<>();
        private final Map<DocumentId, CompletableFuture<Void>> sent = new ConcurrentHashMap<>();
        private volatile RuntimeException failure;
        /** The thread each commit was sent from, in order. */
        private final List<String> committers = new CopyOnWriteArrayList<>();
        /** As Redis once connected: a commit is only sent, and nothing waits for it. */
        private volatile boolean sendsWithoutWaiting = true;

        HeldCommitsStore() {
            super(new InMemoryDocumentStore(100));
        }

        /** Commits to {@code id} are sent (so to speak) and answered only when the returned gate completes. */
        CompletableFuture<Void> hold(DocumentId id) {
            return gates.computeIfAbsent(id, key -> new CompletableFuture<>());
        }

        /** Completes once a commit to {@code id} reached its gate: it is in flight. */
        CompletableFuture<Void> sent(DocumentId id) {
            return sent.computeIfAbsent(id, key -> new CompletableFuture<>());
        }

        @Override
        public boolean appendsWithoutWaiting() {
            return sendsWithoutWaiting;
        }

        @Override
        public CompletionStage<AppendOutcome> appendAllAsync(
                DocumentId id, String epoch, long expectedHeadRev, List<CommittedOp> ops, String contentAfter) {
            committers.add(Thread.currentThread().getName());
            if (failure != null) {
                RuntimeException failed = failure;
                failure = null;
                return CompletableFuture.failedFuture(failed);
            }
            CompletableFuture<Void> gate = gates.get(id);
            if (gate == null) {
                return super.appendAllAsync(id, epoch, expectedHeadRev, ops, contentAfter);
            }
            sent(id).complete(null);
            return gate.thenApplyAsync(ignored -> delegate.appendAll(id, epoch, expectedHeadRev, ops, contentAfter));
        }
    }

    private final HeldCommitsStore store = new HeldCommitsStore();
    private final DocumentService documents =
            new DocumentService(store, new DocumentProperties(1000, 100), Clock.systemUTC());
    private final SubmitQueue queue = new SubmitQueue(documents, oneSubmitThread());

    private static DocumentProperties oneSubmitThread() {
        DocumentProperties defaults = new DocumentProperties(1000, 100);
        return new DocumentProperties(
                defaults.maxLength(),
                defaults.retainedOps(),
                defaults.retainedBytes(),
                defaults.maxOpComponents(),
                defaults.opIdWindow(),
                defaults.opIdMax(),
                defaults.submitQueueOps(),
                defaults.submitQueueBytes(),
                1);
    }

    private SubmitResult submit(String text, String id) throws Exception {
        return submitTo(DOC, text, id).get(10, TimeUnit.SECONDS);
    }

    /** Appends {@code text} at the end of the document as it is now; the future holds the answer. */
    private CompletableFuture<SubmitResult> submitTo(DocumentId doc, String text, String id) {
        return submitTo(doc, text, id, () -> 1, new AtomicReference<>());
    }

    /** As above, for an answer that goes to {@code recipients} sessions; {@code answeredOn} gets the thread's name. */
    private CompletableFuture<SubmitResult> submitTo(
            DocumentId doc, String text, String id, IntSupplier recipients, AtomicReference<String> answeredOn) {
        DocumentSnapshot head = documents.snapshot(doc);
        return submit(
                new SubmitQueue.Submission(
                        doc,
                        head.epoch(),
                        head.rev(),
                        TextOperation.builder()
                                .retain(head.content().length())
                                .insert(text)
                                .build(),
                        id,
                        new Author("a", "A")),
                recipients,
                answeredOn);
    }

    private CompletableFuture<SubmitResult> submit(
            SubmitQueue.Submission submission, IntSupplier recipients, AtomicReference<String> answeredOn) {
        CompletableFuture<SubmitResult> done = new CompletableFuture<>();
        queue.submit(submission, new SubmitQueue.Completion() {
            @Override
            public void accepted(SubmitResult result) {
                answeredOn.set(Thread.currentThread().getName());
                done.complete(result);
            }

            @Override
            public void rejected(SubmitRejectedException rejection) {
                answeredOn.set(Thread.currentThread().getName());
                done.completeExceptionally(rejection);
            }

            @Override
            public int answerRecipients() {
                return recipients.getAsInt();
            }
        });
        return done;
    }

    @Test
    void aQueueStartedAgainAfterAStopStoresSubmitsAgain() throws Exception {
        queue.start();
        assertThat(submit("a", "c:1")).isInstanceOf(SubmitResult.Accepted.class);
        queue.stop();
        assertThat(queue.isRunning()).isFalse();
        // Spring stops the lifecycle beans of a test context it pauses, and starts them when it is used again
        queue.start();
        assertThat(submit("b", "c:2")).isInstanceOf(SubmitResult.Accepted.class);
        assertThat(documents.snapshot(DOC).content()).isEqualTo("ab");
        queue.stop();
    }

    @Test
    void aCommitTheStoreHasNotAnsweredHoldsNoSubmitThread() throws Exception {
        DocumentId slow = new DocumentId("slow");
        DocumentId other = new DocumentId("other");
        queue.start();
        // a first op each, so that both documents have a head this instance knows and commit on it
        assertThat(submitTo(slow, "a", "s:1").get(10, TimeUnit.SECONDS)).isInstanceOf(SubmitResult.Accepted.class);
        assertThat(submitTo(other, "a", "o:1").get(10, TimeUnit.SECONDS)).isInstanceOf(SubmitResult.Accepted.class);
        CompletableFuture<Void> reply = store.hold(slow);

        CompletableFuture<SubmitResult> held = submitTo(slow, "b", "s:2");
        // the pool has one thread: the other document is served only if the held commit does not occupy it
        assertThat(submitTo(other, "b", "o:2").get(10, TimeUnit.SECONDS)).isInstanceOf(SubmitResult.Accepted.class);
        assertThat(held).isNotDone();

        reply.complete(null);
        assertThat(held.get(10, TimeUnit.SECONDS)).isInstanceOf(SubmitResult.Accepted.class);
        assertThat(documents.snapshot(slow).content()).isEqualTo("ab");
        assertThat(documents.snapshot(other).content()).isEqualTo("ab");
        queue.stop();
    }

    /**
     * Waits until the held commit is in flight and the turn that sent it has returned its thread: the reply is then
     * handled where the store answers it, not by the turn (had the reply come first, the turn would send it).
     */
    private void awaitTurnReturned() throws Exception {
        store.sent(DOC).get(10, TimeUnit.SECONDS);
        // the pool has one thread: another document's submit is answered only once that turn gave it back
        assertThat(submitTo(new DocumentId("barrier"), "x", "x:1").get(10, TimeUnit.SECONDS))
                .isInstanceOf(SubmitResult.Accepted.class);
    }

    @Test
    void anAnswerToFewSessionsIsSentOnTheStoresThreadAndTheDocumentsNextTurnRunsOnTheQueue() throws Exception {
        queue.start();
        assertThat(submit("a", "c:1")).isInstanceOf(SubmitResult.Accepted.class);
        CompletableFuture<Void> reply = store.hold(DOC);
        AtomicReference<String> heldAnsweredOn = new AtomicReference<>();
        CompletableFuture<SubmitResult> held =
                submitTo(DOC, "b", "c:2", () -> SubmitQueue.SHORT_PATH_SESSIONS, heldAnsweredOn);
        awaitTurnReturned();
        // queued behind the held commit: the document's next turn, which commits without a hold
        store.gates.remove(DOC);
        AtomicReference<String> nextAnsweredOn = new AtomicReference<>();
        CompletableFuture<SubmitResult> next = submitTo(DOC, "c", "c:3", () -> 1, nextAnsweredOn);

        reply.complete(null);

        assertThat(held.get(10, TimeUnit.SECONDS)).isInstanceOf(SubmitResult.Accepted.class);
        assertThat(next.get(10, TimeUnit.SECONDS)).isInstanceOf(SubmitResult.Accepted.class);
        assertThat(heldAnsweredOn.get())
                .as("sent where the store replied, without a hand-off to the queue's threads")
                .doesNotStartWith("coedit-submit");
        assertThat(nextAnsweredOn.get())
                .as("the next turn ran (and was answered) on the queue, never on the store's thread")
                .startsWith("coedit-submit");
        // b and c were both written after "a": which goes first is OT's tie rule, not this test's concern
        assertThat(documents.snapshot(DOC).content()).isIn("abc", "acb");
        queue.stop();
    }

    @Test
    void anAnswerToManySessionsIsSentFromTheQueueNotTheStoresThread() throws Exception {
        queue.start();
        assertThat(submit("a", "c:1")).isInstanceOf(SubmitResult.Accepted.class);
        CompletableFuture<Void> reply = store.hold(DOC);
        AtomicReference<String> answeredOn = new AtomicReference<>();
        CompletableFuture<SubmitResult> held =
                submitTo(DOC, "b", "c:2", () -> SubmitQueue.SHORT_PATH_SESSIONS + 1, answeredOn);
        awaitTurnReturned();

        reply.complete(null);

        assertThat(held.get(10, TimeUnit.SECONDS)).isInstanceOf(SubmitResult.Accepted.class);
        assertThat(answeredOn.get())
                .as("writes to many sockets must not hold up the store's thread, which every document shares")
                .startsWith("coedit-submit");
        assertThat(documents.snapshot(DOC).content()).isEqualTo("ab");
        queue.stop();
    }

    @Test
    void aCompletionThatCannotCountItsRecipientsIsStillAnsweredOnTheQueue() throws Exception {
        queue.start();
        assertThat(submit("a", "c:1")).isInstanceOf(SubmitResult.Accepted.class);
        CompletableFuture<Void> reply = store.hold(DOC);
        AtomicReference<String> answeredOn = new AtomicReference<>();
        CompletableFuture<SubmitResult> held = submitTo(
                DOC,
                "b",
                "c:2",
                () -> {
                    throw new IllegalStateException("the room went away");
                },
                answeredOn);
        awaitTurnReturned();

        reply.complete(null);

        assertThat(held.get(10, TimeUnit.SECONDS)).isInstanceOf(SubmitResult.Accepted.class);
        assertThat(answeredOn.get()).startsWith("coedit-submit");
        assertThat(documents.snapshot(DOC).content()).isEqualTo("ab");
        queue.stop();
    }

    /**
     * Starts the queue with "a" written to the document and its lane gone (it goes once its turn is answered): the
     * document has a head this instance knows, and nothing queued.
     */
    private void startWithAnIdleDocument() throws Exception {
        queue.start();
        assertThat(submit("a", "c:1")).isInstanceOf(SubmitResult.Accepted.class);
        await().atMost(10, TimeUnit.SECONDS).until(() -> queue.busyDocuments() == 0);
    }

    @Test
    void anIdleDocumentsCommitIsSentByTheThreadThatSubmittedItAndItsNextTurnRunsOnTheQueue() throws Exception {
        startWithAnIdleDocument();
        CompletableFuture<Void> reply = store.hold(DOC);
        int sent = store.committers.size();

        CompletableFuture<SubmitResult> held = submitTo(DOC, "b", "c:2");

        assertThat(store.committers)
                .as("nothing was queued for the document and the op places on the known head: sent right here")
                .hasSize(sent + 1)
                .last()
                .isEqualTo(Thread.currentThread().getName());
        // queued behind the commit in flight: the document's next turn
        store.gates.remove(DOC);
        AtomicReference<String> nextAnsweredOn = new AtomicReference<>();
        CompletableFuture<SubmitResult> next = submitTo(DOC, "c", "c:3", () -> 1, nextAnsweredOn);
        assertThat(store.committers).hasSize(sent + 1);
        reply.complete(null);
        assertThat(held.get(10, TimeUnit.SECONDS)).isInstanceOf(SubmitResult.Accepted.class);
        assertThat(next.get(10, TimeUnit.SECONDS)).isInstanceOf(SubmitResult.Accepted.class);
        assertThat(store.committers.get(sent + 1))
                .as("a turn that waited behind another runs on the queue, never on the submitter's or store's thread")
                .startsWith("coedit-submit");
        assertThat(nextAnsweredOn.get()).startsWith("coedit-submit");
        assertThat(documents.snapshot(DOC).content()).isIn("abc", "acb");
        queue.stop();
    }

    @Test
    void anIdleDocumentWithManySessionsHereHasItsCommitSentFromTheQueue() throws Exception {
        startWithAnIdleDocument();
        int sent = store.committers.size();

        // handed to the pool, its ops gather while a submit thread wakes and are answered with one write per session
        CompletableFuture<SubmitResult> busy =
                submitTo(DOC, "b", "c:2", () -> SubmitQueue.SHORT_PATH_SESSIONS + 1, new AtomicReference<>());

        assertThat(busy.get(10, TimeUnit.SECONDS)).isInstanceOf(SubmitResult.Accepted.class);
        assertThat(store.committers.get(sent)).startsWith("coedit-submit");
        assertThat(documents.snapshot(DOC).content()).isEqualTo("ab");
        queue.stop();
    }

    @Test
    void aSubmitThatNeedsTheStoreIsCarriedOutOnTheQueueNotTheSubmittersThread() throws Exception {
        startWithAnIdleDocument();
        DocumentSnapshot head = documents.snapshot(DOC);
        AtomicReference<String> answeredOn = new AtomicReference<>();

        // written against a revision this instance has not seen: only the store can tell what to do with it
        CompletableFuture<SubmitResult> ahead = submit(
                new SubmitQueue.Submission(
                        DOC,
                        head.epoch(),
                        head.rev() + 5,
                        TextOperation.builder().retain(1).insert("z").build(),
                        "c:2",
                        new Author("a", "A")),
                () -> 1,
                answeredOn);

        assertThatThrownBy(() -> ahead.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(SubmitRejectedException.class);
        assertThat(answeredOn.get()).startsWith("coedit-submit");
        assertThat(documents.snapshot(DOC).content()).isEqualTo("a");
        queue.stop();
    }

    @Test
    void aStoreThatWaitsOnItsCommitsNeverCommitsOnTheSubmittersThread() throws Exception {
        store.sendsWithoutWaiting = false;
        queue.start();
        for (String text : List.of("a", "b", "c")) {
            assertThat(submit(text, "c:" + text)).isInstanceOf(SubmitResult.Accepted.class);
            await().atMost(10, TimeUnit.SECONDS).until(() -> queue.busyDocuments() == 0);
        }

        assertThat(store.committers).hasSize(2).allMatch(name -> name.startsWith("coedit-submit"));
        assertThat(documents.snapshot(DOC).content()).isEqualTo("abc");
        queue.stop();
    }

    @Test
    void aQueueStoppedWithACommitInFlightStillAnswersIt() throws Exception {
        queue.start();
        assertThat(submit("a", "c:1")).isInstanceOf(SubmitResult.Accepted.class);
        CompletableFuture<Void> reply = store.hold(DOC);
        CompletableFuture<SubmitResult> held = submitTo(DOC, "b", "c:2");
        // stopped only once the commit is in flight; a turn that had not started would be refused, as it should
        store.sent(DOC).get(10, TimeUnit.SECONDS);
        CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS).execute(() -> reply.complete(null));

        queue.stop();

        assertThat(held).isCompletedWithValueMatching(SubmitResult.Accepted.class::isInstance);
        assertThat(documents.snapshot(DOC).content()).isEqualTo("ab");
    }

    @Test
    void anUnavailableStoreAnswersUnavailableAndTheSameOpSentAgainIsStoredOnce() throws Exception {
        queue.start();
        assertThat(submit("a", "c:1")).isInstanceOf(SubmitResult.Accepted.class);
        store.failure = new DocumentStoreUnavailableException("Redis is unavailable", null);

        assertThatThrownBy(() -> submit("b", "c:2"))
                .hasCauseInstanceOf(SubmitRejectedException.class)
                .cause()
                .satisfies(
                        ex -> assertThat(((SubmitRejectedException) ex).code()).isEqualTo(ErrorCode.UNAVAILABLE));
        assertThat(submit("b", "c:2")).isInstanceOf(SubmitResult.Accepted.class);
        assertThat(documents.snapshot(DOC).content()).isEqualTo("ab");
        queue.stop();
    }
}
