package io.coedit.document;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import lombok.extern.slf4j.Slf4j;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.coedit.error.ErrorCode;
import io.coedit.ot.TextOperation;
import io.coedit.system.DaemonThreads;
import io.coedit.system.HeldWrites;
import io.coedit.system.LifecyclePhases;

/**
 * Runs submits off the request threads: one lane per document, carried out in order, one turn per document at a
 * time, on a fixed pool. A request thread only enqueues, so it never waits on any document's store I/O; a document
 * that is flooded or whose store calls are slow fills its own lane (bounded in count and bytes, {@code unavailable}
 * beyond), and a lane yields its thread after a few submits so the others get their turn. A turn whose commit goes
 * to a store over the network (Redis) holds no thread while the store works: the reply hands the turn back to the
 * pool, so the pool's size does not bound how many documents commit at once. When nothing is queued for a document
 * with few sessions here and its submit places on the head this instance knows, the request thread sends that one
 * commit itself (such a store sends it without waiting), which saves the hand-off to the pool.
 */
@Slf4j
@Component
public class SubmitQueue implements SmartLifecycle {

    /**
     * Submits one lane takes at once (committed together when the store can) before it lets the other documents'
     * lanes have the thread.
     */
    static final int TURN = 32;

    /**
     * Sessions a document may have on this instance and still take the short paths, each a hand-off to a submit thread
     * less: its idle turn sent by the request thread that read the op, and its answers sent on the store's thread that
     * replied. That is the common document, edited by a few people here. A busier one keeps the pool for both. Its
     * answers (fifty sockets per op for fifty writers) must not hold up Lettuce's one I/O thread, which serves every
     * document's replies; and its ops, handed to the pool, gather while a submit thread wakes, and go in one commit
     * whose answers are one write per session for the lot. The Redis relay uses the same count for another instance's
     * op, delivered on the connection thread it arrived on for such a document, for the same reason.
     */
    public static final int SHORT_PATH_SESSIONS = 4;

    /** One operation to submit, written against {@code baseRev} of {@code epoch}. */
    public record Submission(
            DocumentId documentId, String epoch, long baseRev, TextOperation op, String clientOpId, Author author) {}

    /**
     * Called once the submission is stored or refused: on a submit thread; for an answer that goes to few sessions,
     * on the store's thread that replied; or on the thread that submitted, when the commit it sent was answered (or
     * failed) before it returned. It must not block.
     */
    public interface Completion {
        void accepted(SubmitResult result);

        void rejected(SubmitRejectedException rejection);

        /** The sessions its answer is written to: the submitter and those the op goes to on this instance. */
        default int answerRecipients() {
            return Integer.MAX_VALUE;
        }
    }

    /** A queued submission with what it weighs against the lane's byte budget: the op as it will be logged. */
    private record Task(Submission submission, Completion completion, long bytes) {}

    private final class Lane implements Runnable {
        private final DocumentId id;
        private final ArrayDeque<Task> tasks = new ArrayDeque<>();
        private long bytes;
        private boolean scheduled;

        Lane(DocumentId id) {
            this.id = id;
        }

        /** Runs the lane's next turn on a submit thread, where it may wait on the store. */
        @Override
        public void run() {
            List<Task> turn = take();
            if (!turn.isEmpty()) {
                runTurn(turn);
            }
        }

        private void runTurn(List<Task> turn) {
            CompletableFuture<List<DocumentService.Outcome>> outcomes;
            try {
                outcomes = documents
                        .submitAllAsync(id, queued(turn), SubmitQueue.this::runBlocking)
                        .toCompletableFuture();
            } catch (RuntimeException ex) {
                outcomes = CompletableFuture.failedFuture(ex);
            }
            awaitAnswers(turn, outcomes);
        }

        /**
         * Runs the first turn of a lane that was idle on the thread that queued its submit (a request thread), when
         * that turn is one commit the store sends without waiting: the hand-off to a submit thread is saved.
         * Anything else, a read of the store or ops one by one, goes to the pool.
         */
        void startHere() {
            List<Task> turn = take();
            if (turn.isEmpty()) {
                return;
            }
            Optional<CompletableFuture<List<DocumentService.Outcome>>> commit;
            try {
                commit = documents.commitWithoutWaiting(id, queued(turn), SubmitQueue.this::runBlocking);
            } catch (RuntimeException ex) {
                commit = Optional.of(CompletableFuture.failedFuture(ex));
            }
            if (commit.isPresent()) {
                awaitAnswers(turn, commit.get());
                return;
            }
            try {
                executor.execute(() -> runTurn(turn));
            } catch (RejectedExecutionException stopped) {
                finish(turn, CompletableFuture.failedFuture(stopped));
            }
        }

        /**
         * Answers the turn once the store answered its commit. The reply comes on the store's thread, which sends the
         * answers when they go to few sessions and otherwise hands them to this pool; the lane's next turn always
         * runs on the pool. The lane stays scheduled meanwhile (its next turn waits for this one) and holds no
         * thread.
         */
        private void awaitAnswers(List<Task> turn, CompletableFuture<List<DocumentService.Outcome>> outcomes) {
            if (outcomes.isDone()) {
                finish(turn, outcomes);
                return;
            }
            CompletableFuture<List<DocumentService.Outcome>> pending = outcomes;
            inFlight.incrementAndGet();
            pending.whenComplete((done, failure) -> {
                try {
                    if (answeredOnReply(turn)) {
                        finish(turn, pending);
                        return;
                    }
                    try {
                        executor.execute(() -> finish(turn, pending));
                    } catch (RejectedExecutionException stopped) {
                        // stopped with this commit in flight: its answers are sent from here (sending never blocks)
                        finish(turn, pending);
                    }
                } finally {
                    // counted until its answers are sent or queued on the pool, which stop() lets finish
                    inFlight.decrementAndGet();
                }
            });
        }

        private void finish(List<Task> turn, CompletableFuture<List<DocumentService.Outcome>> outcomes) {
            complete(id, turn, outcomes);
            reschedule();
        }

        /** Up to {@link #TURN} waiting submits, taken together; none when the lane is idle (it goes away). */
        private List<Task> take() {
            List<Task> turn = new ArrayList<>();
            lanes.compute(id, (key, lane) -> {
                Task task;
                while (turn.size() < TURN && (task = tasks.poll()) != null) {
                    turn.add(task);
                    bytes -= task.bytes();
                }
                if (turn.isEmpty()) {
                    scheduled = false;
                    return null; // idle: the lane goes away, a new submit makes a new one
                }
                return lane;
            });
            return turn;
        }

        private void reschedule() {
            List<Task> orphans = new ArrayList<>();
            lanes.compute(id, (key, lane) -> {
                if (tasks.isEmpty()) {
                    scheduled = false;
                    return null;
                }
                try {
                    executor.execute(this);
                    return lane;
                } catch (RejectedExecutionException stopped) {
                    orphans.addAll(tasks);
                    tasks.clear();
                    bytes = 0;
                    scheduled = false;
                    return null;
                }
            });
            for (Task task : orphans) {
                SubmitQueue.complete(() -> task.completion()
                        .rejected(new SubmitRejectedException(
                                ErrorCode.UNAVAILABLE,
                                "This server is shutting down; reconnect and retry the same op")));
            }
        }
    }

    private final DocumentService documents;
    private final DocumentProperties properties;
    private final Map<DocumentId, Lane> lanes = new ConcurrentHashMap<>();
    /** Commits sent to the store and not yet answered. */
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Replaced when the queue starts again after a stop (a paused test context, say). */
    private volatile ExecutorService executor;

    private volatile boolean refusing;
    private volatile boolean running;

    public SubmitQueue(DocumentService documents, DocumentProperties properties) {
        this.documents = documents;
        this.properties = properties;
        this.executor = newExecutor(properties);
    }

    private static ExecutorService newExecutor(DocumentProperties properties) {
        return DaemonThreads.fixedPool(properties.submitThreads(), "coedit-submit");
    }

    /**
     * Queues a submission behind the others of its document, or sends it at once when the document is idle here (see
     * {@link #SHORT_PATH_SESSIONS}). {@code completion} is called exactly once, where {@link Completion} says; right
     * here when the document's lane is full.
     */
    public void submit(Submission submission, Completion completion) {
        if (refusing) {
            completion.rejected(new SubmitRejectedException(
                    ErrorCode.UNAVAILABLE, "This server is shutting down; reconnect and retry the same op"));
            return;
        }
        // weighed once, before the document's lane is locked
        Task task = new Task(
                submission,
                completion,
                CommittedOp.sizeInBytes(submission.op(), submission.clientOpId(), submission.author()));
        boolean sendHere = documents.commitsWithoutWaiting() && fewSessions(completion);
        boolean[] full = new boolean[1];
        Lane[] startHere = new Lane[1];
        lanes.compute(submission.documentId(), (id, existing) -> {
            Lane lane = existing == null ? new Lane(id) : existing;
            if (lane.tasks.size() >= properties.submitQueueOps()
                    || lane.bytes + task.bytes() > properties.submitQueueBytes().toBytes()) {
                full[0] = true;
                return existing;
            }
            lane.tasks.add(task);
            lane.bytes += task.bytes();
            if (!lane.scheduled) {
                lane.scheduled = true;
                if (sendHere) {
                    startHere[0] = lane;
                } else {
                    executor.execute(lane);
                }
            }
            return lane;
        });
        if (startHere[0] != null) {
            // after the lane's lock is let go: another submit to the document meanwhile queues behind this turn
            startHere[0].startHere();
        }
        if (full[0]) {
            completion.rejected(new SubmitRejectedException(
                    ErrorCode.UNAVAILABLE, "The document has too many edits waiting; retry the same op"));
        }
    }

    /**
     * The first step of a drain: new submits are refused as {@code unavailable} (the client keeps the op and sends
     * it again, same id, once reconnected elsewhere), and the ones already queued are carried out and acked, waiting
     * up to {@code timeout} for them.
     *
     * @return true when every queued submit finished in time
     */
    public boolean refuseNewAndFinish(Duration timeout) throws InterruptedException {
        refusing = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!lanes.isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** Documents with submits waiting or running on this instance. */
    public int busyDocuments() {
        return lanes.size();
    }

    private static List<DocumentService.Queued> queued(List<Task> turn) {
        return turn.stream()
                .map(task -> {
                    Submission s = task.submission();
                    return new DocumentService.Queued(s.epoch(), s.baseRev(), s.op(), s.clientOpId(), s.author());
                })
                .toList();
    }

    /** The one-by-one submits after a refused commit wait on the store: on this pool, never on the store's thread. */
    private void runBlocking(Runnable submits) {
        executor.execute(submits);
    }

    private static boolean answeredOnReply(List<Task> turn) {
        for (Task task : turn) {
            if (!fewSessions(task.completion())) {
                return false;
            }
        }
        return true;
    }

    private static boolean fewSessions(Completion completion) {
        try {
            return completion.answerRecipients() <= SHORT_PATH_SESSIONS;
        } catch (RuntimeException ex) {
            // a completion that cannot tell takes the pool's path: its answers must still be sent
            log.error("A submit completion could not count its recipients", ex);
            return false;
        }
    }

    /** Answers each submit of a finished turn. */
    private static void complete(
            DocumentId id, List<Task> turn, CompletableFuture<List<DocumentService.Outcome>> finished) {
        List<DocumentService.Outcome> outcomes;
        try {
            outcomes = finished.join();
        } catch (CompletionException | CancellationException ex) {
            Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
            boolean stopped = cause instanceof RejectedExecutionException;
            if (!stopped) {
                log.error("Submits to {} failed unexpectedly", id, cause);
            }
            for (Task task : turn) {
                complete(() -> task.completion()
                        .rejected(new SubmitRejectedException(
                                ErrorCode.UNAVAILABLE,
                                stopped
                                        ? "This server is shutting down; reconnect and retry the same op"
                                        : "Internal error; retry the same op")));
            }
            return;
        }
        // the turn's answers and broadcasts leave together: one write per session for the whole turn
        HeldWrites.around(() -> {
            for (int i = 0; i < turn.size(); i++) {
                Task task = turn.get(i);
                DocumentService.Outcome outcome = outcomes.get(i);
                if (outcome.result() != null) {
                    complete(() -> task.completion().accepted(outcome.result()));
                } else {
                    complete(() -> task.completion().rejected(outcome.rejection()));
                }
            }
        });
    }

    private static void complete(Runnable completion) {
        try {
            completion.run();
        } catch (RuntimeException ex) {
            // a failing completion must cost its own submit only, never the lane
            log.error("A submit completion failed", ex);
        }
    }

    @Override
    public void start() {
        if (executor.isShutdown()) {
            executor = newExecutor(properties);
        }
        running = true;
    }

    /** Lets the commits in flight finish (a drain must not lose an accepted edit), then stops. */
    @Override
    public void stop() {
        running = false;
        // a commit in flight holds no thread: wait for its answer before the pool that sends it goes away
        awaitCommitsInFlight();
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("Submits still running after 10 s at shutdown");
                executor.shutdownNow();
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
        // the last turns may have sent commits meanwhile: their answers are sent from the store's thread
        awaitCommitsInFlight();
    }

    private void awaitCommitsInFlight() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the sessions were closed: their last submits are stored before the store goes away. */
    @Override
    public int getPhase() {
        return LifecyclePhases.SUBMITS;
    }
}
