package io.coedit.document;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

import org.springframework.stereotype.Service;

import io.coedit.error.ErrorCode;
import io.coedit.ot.InvalidOperationException;
import io.coedit.ot.TextOperation;

/**
 * The submit path (ot.js server style): transform an operation against everything committed since its base
 * revision, apply it, and append it with the store's atomic step. The store's head check serializes submits to
 * one document across instances; on one instance {@link SubmitQueue} runs them one at a time per document, off
 * the request threads.
 */
@Service
public class DocumentService {

    private static final int MAX_APPEND_ATTEMPTS = 50;

    private final DocumentStore store;
    private final DocumentProperties properties;
    private final Clock clock;

    public DocumentService(DocumentStore store, DocumentProperties properties, Clock clock) {
        this.store = store;
        this.properties = properties;
        this.clock = clock;
    }

    public DocumentSnapshot snapshot(DocumentId id) {
        return guard(() -> store.snapshot(id));
    }

    /** Operations after {@code rev} when the client's history is still retained, otherwise a fresh snapshot. */
    public SyncResult sync(DocumentId id, String epoch, long rev) {
        return sync(id, epoch, rev, Long.MAX_VALUE);
    }

    /**
     * As {@link #sync(DocumentId, String, long)}, but ops adding up to more than {@code maxBytes} are answered with
     * the snapshot instead, which is never larger than the document: a sync answer stays bounded either way.
     */
    public SyncResult sync(DocumentId id, String epoch, long rev, long maxBytes) {
        // every op weighs at least MIN_OP_BYTES: more of them than this could never fit, so no more are read
        int maxOps = (int) Math.min(Integer.MAX_VALUE - 1L, maxBytes / CommittedOp.MIN_BYTES);
        return guard(() -> {
            var ops = store.opsSince(id, epoch, rev, maxOps + 1);
            if (ops.isPresent()
                    && ops.get().size() <= maxOps
                    && ops.get().stream().mapToLong(CommittedOp::sizeInBytes).sum() <= maxBytes) {
                return new SyncResult.Ops(ops.get());
            }
            return new SyncResult.Snapshot(store.snapshot(id));
        });
    }

    /** Where these documents stand, in one store call; documents nobody wrote are absent. */
    public Map<DocumentId, HeadMark> heads(Collection<DocumentId> ids) {
        return guard(() -> store.heads(ids));
    }

    /**
     * The first {@code maxOps} retained operations after {@code rev} of {@code epoch}; empty when they are not all
     * retained (or the epoch changed).
     */
    public Optional<List<CommittedOp>> opsSince(DocumentId id, String epoch, long rev, int maxOps) {
        return guard(() -> store.opsSince(id, epoch, rev, maxOps));
    }

    /**
     * Transforms, applies and stores {@code op}, written against {@code baseRev} of {@code epoch}. Callers run the
     * submits of one document one at a time on an instance (as {@link SubmitQueue} does); concurrent ones would only
     * retry each other's head moves.
     *
     * @throws SubmitRejectedException when the operation cannot be stored; nothing changed
     */
    public SubmitResult submit(
            DocumentId id, String epoch, long baseRev, TextOperation op, String clientOpId, Author author) {
        return submit(id, epoch, baseRev, op, clientOpId, author, null);
    }

    private SubmitResult submit(
            DocumentId id,
            String epoch,
            long baseRev,
            TextOperation op,
            String clientOpId,
            Author author,
            AppendOutcome.HeadMoved lost) {
        return guard(() -> submitOnce(id, epoch, baseRev, op, new ClientOpKey(author.id(), clientOpId), author, lost));
    }

    /**
     * {@code lost}: the head a commit of this document just lost to, if any, so that the first try already knows
     * whether what this instance has is recent enough.
     */
    private SubmitResult submitOnce(
            DocumentId id,
            String epoch,
            long baseRev,
            TextOperation op,
            ClientOpKey key,
            Author author,
            AppendOutcome.HeadMoved lost) {
        // the op as the last try sent it, transformed up to triedRev, its head: a retry transforms it only against
        // the ops committed since (the same fold as from the base), where transforming the submitted op against
        // everything since its base again made each try of an old op slower than the commits it raced against
        TextOperation tried = null;
        long triedRev = -1;
        long movedTo = lost == null ? -1 : lost.headRev();
        for (int attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
            // Try on what this instance already knows: one round trip (the commit) when nobody else wrote. After a
            // lost race only if the relay has since brought it to the head that won: otherwise the retries would
            // go on reading the head and the log (three round trips a try) while the other instances commit on
            // theirs (one), and on a busy document lose every time.
            RecentHead recent = store.recent(id).orElse(null);
            DocumentSnapshot read = null;
            if (movedTo >= 0 && behindAfterLoss(recent, movedTo, triedRev)) {
                DocumentSnapshot fresh = store.snapshot(id); // brings this instance's head level, with the ops read
                read = fresh;
                recent = store.recent(id)
                        .filter(r -> r.head().rev() == fresh.rev()
                                && r.head().epoch().equals(fresh.epoch()))
                        .orElse(null);
            }
            long fromRev = tried != null ? triedRev : baseRev;
            List<CommittedOp> known = recent == null ? null : recent.opsAfter(epoch, fromRev);
            DocumentSnapshot head = known != null ? recent.head() : read != null ? read : store.snapshot(id);
            TextOperation from = tried != null ? tried : op;
            if (tried != null && head.rev() < triedRev) { // a head read older than the last try: from the base
                from = op;
                fromRev = baseRev;
                known = null;
            }
            if (!head.epoch().equals(epoch)) {
                throw new SubmitRejectedException(ErrorCode.RESYNC_REQUIRED, "The document's history was replaced");
            }
            List<CommittedOp> concurrent;
            TextOperation transformed;
            String content;
            try {
                if (baseRev > head.rev()) {
                    throw new SubmitRejectedException(
                            ErrorCode.STALE_REVISION,
                            "Base revision " + baseRev + " is ahead of the document (" + head.rev() + ")");
                }
                concurrent = known != null ? known : opsOnto(id, epoch, fromRev, head.rev());
                transformed = transformAgainst(concurrent, from);
                content = apply(transformed, head.content());
            } catch (SubmitRejectedException rejected) {
                // a resubmitted op that was accepted may no longer fit (its base left the retained history): the
                // id index, which outlives the log, answers it. Other duplicates are caught by the store's append
                // itself, which saves the common path a store round trip.
                OpIdLookup lookup = store.lookUp(id, epoch, key, baseRev);
                if (lookup instanceof OpIdLookup.Found found) {
                    return new SubmitResult.Duplicate(found.rev());
                }
                if (lookup instanceof OpIdLookup.Unknown && rejected.code() == ErrorCode.RESYNC_REQUIRED) {
                    throw new SubmitRejectedException(
                            ErrorCode.OUTCOME_UNKNOWN,
                            "Revision " + baseRev
                                    + " is older than the history and the op ids kept:"
                                    + " whether this op was applied is unknown");
                }
                throw rejected;
            }
            CommittedOp candidate =
                    new CommittedOp(head.rev() + 1, transformed, author, key.clientOpId(), clock.instant());
            AppendOutcome outcome = store.append(id, epoch, head.rev(), candidate, content);
            if (outcome instanceof AppendOutcome.Appended appended) {
                return new SubmitResult.Accepted(appended.op());
            }
            if (outcome instanceof AppendOutcome.Duplicate duplicate) {
                return new SubmitResult.Duplicate(duplicate.rev());
            }
            if (outcome instanceof AppendOutcome.EpochChanged) {
                throw new SubmitRejectedException(ErrorCode.RESYNC_REQUIRED, "The document's history was replaced");
            }
            // HeadMoved: another instance committed first; transform against its operations too
            tried = transformed;
            triedRev = head.rev();
            movedTo = ((AppendOutcome.HeadMoved) outcome).headRev();
        }
        throw new SubmitRejectedException(ErrorCode.UNAVAILABLE, "The document is too busy, retry");
    }

    /** One of several submits to one document, queued together. */
    public record Queued(String epoch, long baseRev, TextOperation op, String clientOpId, Author author) {}

    /** What became of one queued submit: a result, or the reason it was refused. */
    public record Outcome(SubmitResult result, SubmitRejectedException rejection) {}

    /**
     * Submits one turn of queued ops of one document, in order, without holding the calling thread while the store
     * commits. When every op places on what this instance knows of the document (the common case), they go to the
     * store in one atomic step and the stage completes from the store's answer, on the store's thread; an unavailable
     * store answers each op {@code unavailable} (the client sends it again, and its id tells whether it was stored).
     * Otherwise, or when the store refuses that step (nothing was written), the ops go one by one through
     * {@link #submit}, which may wait on the store: on the calling thread when nothing was sent yet, on
     * {@code blocking} after a refusal.
     */
    public CompletionStage<List<Outcome>> submitAllAsync(DocumentId id, List<Queued> queued, Executor blocking) {
        Optional<CompletableFuture<List<Outcome>>> commit = commitOnKnownHead(id, queued, blocking);
        return commit.isPresent() ? commit.get() : CompletableFuture.completedFuture(submitAll(id, queued));
    }

    /** Whether {@link #commitWithoutWaiting} may send a commit now: the store sends its commits without waiting. */
    public boolean commitsWithoutWaiting() {
        return store.appendsWithoutWaiting();
    }

    /**
     * {@link #submitAllAsync}'s common case alone, for a caller that must not wait on the store (a request thread):
     * empty, with nothing done, unless every op places on the head this instance knows and the store sends its
     * commit without waiting.
     */
    public Optional<CompletableFuture<List<Outcome>>> commitWithoutWaiting(
            DocumentId id, List<Queued> queued, Executor blocking) {
        return store.appendsWithoutWaiting() ? commitOnKnownHead(id, queued, blocking) : Optional.empty();
    }

    private Optional<CompletableFuture<List<Outcome>>> commitOnKnownHead(
            DocumentId id, List<Queued> queued, Executor blocking) {
        return commitOnKnownHead(id, queued, blocking, 0);
    }

    private Optional<CompletableFuture<List<Outcome>>> commitOnKnownHead(
            DocumentId id, List<Queued> queued, Executor blocking, int attempt) {
        RecentHead recent = store.recent(id).orElse(null);
        Placement placement = recent == null ? null : place(recent, queued);
        if (placement == null || placement.members().size() < queued.size()) {
            return Optional.empty();
        }
        DocumentSnapshot head = recent.head();
        List<CommittedOp> batch = placement.batch();
        CompletionStage<AppendOutcome> commit;
        try {
            commit = store.appendAllAsync(id, head.epoch(), head.rev(), batch, placement.content());
        } catch (RuntimeException ex) {
            commit = CompletableFuture.failedFuture(ex);
        }
        return Optional.of(commit.handle((outcome, failure) -> {
                    if (outcome instanceof AppendOutcome.Appended) {
                        return CompletableFuture.completedFuture(batch.stream()
                                .map(op -> new Outcome(new SubmitResult.Accepted(op), null))
                                .toList());
                    }
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause()
                            : failure;
                    if (cause instanceof DocumentStoreUnavailableException) {
                        return CompletableFuture.completedFuture(unavailable(queued));
                    }
                    if (cause != null) {
                        return CompletableFuture.<List<Outcome>>failedFuture(cause);
                    }
                    // the head moved, the epoch changed or an op was a duplicate: nothing was written
                    AppendOutcome.HeadMoved lost = outcome instanceof AppendOutcome.HeadMoved moved ? moved : null;
                    return CompletableFuture.supplyAsync(
                                    () -> commitAgain(id, queued, blocking, lost, head.rev(), attempt + 1), blocking)
                            .thenCompose(Function.identity());
                })
                .thenCompose(Function.identity())
                .toCompletableFuture());
    }

    /**
     * After a commit of {@code queued} on the head at {@code triedRev} wrote nothing: when it lost to another
     * instance's commit, the same ops placed again on this instance's head and committed together, as the other
     * instance's batches are: one round trip when the head has moved past the one that won (by the ops the answer
     * carried, or the relay), two when it must be read first; otherwise (a duplicate, another epoch, ops that do not
     * place on the head) one by one. Retried one by one, a busy document's batch fell behind the other instance's,
     * which went on committing batches, and lost again and again: ops waited seconds, and some until their base
     * revision left the log.
     */
    private CompletableFuture<List<Outcome>> commitAgain(
            DocumentId id,
            List<Queued> queued,
            Executor blocking,
            AppendOutcome.HeadMoved lost,
            long triedRev,
            int attempt) {
        if (lost == null || attempt >= MAX_APPEND_ATTEMPTS) {
            return CompletableFuture.completedFuture(submitEach(id, queued, lost));
        }
        RecentHead recent = store.recent(id).orElse(null);
        if (behindAfterLoss(recent, lost.headRev(), triedRev)) {
            try {
                store.snapshot(id); // reads what this instance's head lacks, and brings it level with the ops read
            } catch (DocumentStoreUnavailableException ex) {
                return CompletableFuture.completedFuture(unavailable(queued));
            }
        }
        return commitOnKnownHead(id, queued, blocking, attempt)
                .orElseGet(() -> CompletableFuture.completedFuture(submitEach(id, queued, lost)));
    }

    /**
     * Whether {@code recent} is too old to commit on after a loss: not yet at the head that won ({@code movedTo}),
     * or no newer than the head the lost commit was tried on.
     */
    private static boolean behindAfterLoss(RecentHead recent, long movedTo, long triedRev) {
        return recent == null || recent.head().rev() < movedTo || recent.head().rev() <= triedRev;
    }

    /** Each op refused for now: the client sends it again, and its id tells whether a commit took it meanwhile. */
    private static List<Outcome> unavailable(List<Queued> queued) {
        SubmitRejectedException unavailable =
                new SubmitRejectedException(ErrorCode.UNAVAILABLE, "The document store is unavailable");
        return queued.stream().map(q -> new Outcome(null, unavailable)).toList();
    }

    /**
     * Submits several queued ops of one document, in order. When the store can take them in one atomic step, the
     * ops it can place on what this instance knows go in one commit (one round trip for all); any the batch cannot
     * take, or all of them when the batch is refused, go one by one through {@link #submit}.
     */
    public List<Outcome> submitAll(DocumentId id, List<Queued> queued) {
        List<Outcome> outcomes = new ArrayList<>(Collections.nCopies(queued.size(), (Outcome) null));
        AppendOutcome.HeadMoved lost = null;
        if (queued.size() > 1) {
            try {
                lost = commitTogether(id, queued, outcomes);
            } catch (DocumentStoreUnavailableException ex) {
                // nothing was stored: each op gets its own answer below
            }
        }
        return submitRemaining(id, queued, outcomes, lost);
    }

    private List<Outcome> submitEach(DocumentId id, List<Queued> queued, AppendOutcome.HeadMoved lost) {
        return submitRemaining(id, queued, new ArrayList<>(Collections.nCopies(queued.size(), (Outcome) null)), lost);
    }

    private List<Outcome> submitRemaining(
            DocumentId id, List<Queued> queued, List<Outcome> outcomes, AppendOutcome.HeadMoved lost) {
        for (int i = 0; i < queued.size(); i++) {
            if (outcomes.get(i) == null) {
                Queued q = queued.get(i);
                try {
                    outcomes.set(
                            i,
                            new Outcome(
                                    submit(id, q.epoch(), q.baseRev(), q.op(), q.clientOpId(), q.author(), lost),
                                    null));
                } catch (SubmitRejectedException ex) {
                    outcomes.set(i, new Outcome(null, ex));
                }
            }
        }
        return outcomes;
    }

    /** The head the batch lost to, if it did. */
    private AppendOutcome.HeadMoved commitTogether(DocumentId id, List<Queued> queued, List<Outcome> outcomes) {
        RecentHead recent = store.recent(id).orElse(null);
        if (recent == null) {
            return null;
        }
        Placement placement = place(recent, queued);
        if (placement.batch().size() < 2) {
            return null;
        }
        DocumentSnapshot head = recent.head();
        List<CommittedOp> batch = placement.batch();
        AppendOutcome outcome = store.appendAll(id, head.epoch(), head.rev(), batch, placement.content());
        if (outcome instanceof AppendOutcome.Appended) {
            for (int k = 0; k < batch.size(); k++) {
                outcomes.set(placement.members().get(k), new Outcome(new SubmitResult.Accepted(batch.get(k)), null));
            }
        }
        // anything else wrote nothing: every op goes through the single path
        return outcome instanceof AppendOutcome.HeadMoved moved ? moved : null;
    }

    /**
     * Which queued ops place, in order, on {@code recent}: transformed against what was committed since their base
     * and against the ones placed before them, with the content after the last.
     */
    private record Placement(List<CommittedOp> batch, List<Integer> members, String content) {}

    private Placement place(RecentHead recent, List<Queued> queued) {
        DocumentSnapshot head = recent.head();
        List<CommittedOp> batch = new ArrayList<>();
        List<Integer> members = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        String content = head.content();
        Instant now = clock.instant();
        for (int i = 0; i < queued.size(); i++) {
            Queued q = queued.get(i);
            List<CommittedOp> before = recent.opsAfter(q.epoch(), q.baseRev());
            if (before == null || !keys.add(new ClientOpKey(q.author().id(), q.clientOpId()).value())) {
                continue; // not placeable on what is known here, or the same op twice: the single path answers it
            }
            List<CommittedOp> against = new ArrayList<>(before);
            against.addAll(batch);
            TextOperation transformed;
            String next;
            try {
                transformed = transformAgainst(against, q.op());
                next = apply(transformed, content);
            } catch (SubmitRejectedException ex) {
                continue;
            }
            batch.add(new CommittedOp(head.rev() + batch.size() + 1, transformed, q.author(), q.clientOpId(), now));
            members.add(i);
            content = next;
        }
        return new Placement(batch, members, content);
    }

    /** The ops after {@code baseRev} up to {@code headRev}, read from the store. */
    private List<CommittedOp> opsOnto(DocumentId id, String epoch, long baseRev, long headRev) {
        if (baseRev == headRev) {
            return List.of();
        }
        List<CommittedOp> concurrent = store.opsSince(id, epoch, baseRev)
                .orElseThrow(() -> new SubmitRejectedException(
                        ErrorCode.RESYNC_REQUIRED, "Revision " + baseRev + " is older than the retained history"));
        return concurrent.stream().filter(applied -> applied.rev() <= headRev).toList();
    }

    private static TextOperation transformAgainst(List<CommittedOp> concurrent, TextOperation op) {
        TextOperation transformed = op;
        try {
            for (CommittedOp applied : concurrent) {
                // as ot.js's Server.receiveOperation: the incoming op is the first argument, so of two inserts at
                // one position the incoming one ends up first, which is what every ot.js client expects
                transformed = TextOperation.transform(transformed, applied.op()).first();
            }
        } catch (InvalidOperationException ex) {
            throw SubmitRejectedException.invalidOp(ex);
        }
        return transformed;
    }

    private String apply(TextOperation op, String content) {
        String result;
        try {
            result = op.apply(content);
        } catch (InvalidOperationException ex) {
            throw SubmitRejectedException.invalidOp(ex);
        }
        if (result.length() > properties.maxLength()) {
            throw new SubmitRejectedException(
                    ErrorCode.TOO_LARGE, "The document would exceed " + properties.maxLength() + " characters");
        }
        return result;
    }

    private static <T> T guard(Supplier<T> storeCall) {
        try {
            return storeCall.get();
        } catch (DocumentStoreUnavailableException ex) {
            throw new SubmitRejectedException(ErrorCode.UNAVAILABLE, "The document store is unavailable");
        }
    }
}
