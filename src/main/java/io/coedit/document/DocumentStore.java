package io.coedit.document;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where documents and their op logs live. Implementations must make {@link #append} atomic: check the client
 * op key (author and id), check that the head is still {@code expectedHeadRev}, store the operation and the new
 * content, bump the revision — all or nothing. That single step is what keeps revisions unique across instances.
 *
 * <p>Reading never writes: a document that has no accepted op reads as empty at revision 0 of the store's
 * genesis epoch, and takes space only when its first op is appended.
 */
public interface DocumentStore {

    /** The document at its head revision; a document never written reads as revision 0, empty, in the genesis epoch. */
    DocumentSnapshot snapshot(DocumentId id);

    /**
     * The operations after {@code rev} up to the head, in order, or empty when the log no longer holds all of
     * them (or the epoch differs): a caller must never transform against a partial history.
     */
    Optional<List<CommittedOp>> opsSince(DocumentId id, String epoch, long rev);

    /**
     * As {@link #opsSince(DocumentId, String, long)}, but at most the first {@code maxOps} of them: a store that
     * keeps a long history reads no more than a page of it.
     */
    default Optional<List<CommittedOp>> opsSince(DocumentId id, String epoch, long rev, int maxOps) {
        return opsSince(id, epoch, rev).map(ops -> ops.size() <= maxOps ? ops : List.copyOf(ops.subList(0, maxOps)));
    }

    /**
     * Whether an op with this key, written against {@code baseRev} of {@code epoch}, was accepted: the index of
     * accepted keys outlives the op log (see {@link LogLimits}), and says so when it no longer reaches back far
     * enough to tell.
     */
    OpIdLookup lookUp(DocumentId id, String epoch, ClientOpKey key, long baseRev);

    /**
     * Where each of these documents stands, all in one go (the periodic check of every room costs one call, not one
     * per room); a document nobody wrote is absent from the answer.
     */
    default Map<DocumentId, HeadMark> heads(Collection<DocumentId> ids) {
        Map<DocumentId, HeadMark> heads = new HashMap<>();
        for (DocumentId id : ids) {
            DocumentSnapshot snapshot = snapshot(id);
            if (snapshot.rev() > 0) {
                heads.put(id, new HeadMark(snapshot.epoch(), snapshot.rev()));
            }
        }
        return heads;
    }

    /**
     * What this instance last saw of the document, without a round trip (see {@link RecentHead}); empty when it
     * knows nothing or keeps nothing. Stores whose reads are local need not offer it.
     */
    default Optional<RecentHead> recent(DocumentId id) {
        return Optional.empty();
    }

    /**
     * An op another instance committed, as the relay heard it: a store that caches heads moves its cached head on,
     * so this instance's next submit needs no read.
     */
    default void committedElsewhere(DocumentId id, String epoch, CommittedOp op) {}

    /**
     * Appends {@code op} (whose rev is {@code expectedHeadRev + 1}) if the head is still {@code expectedHeadRev}. The
     * first op of a document that was never written is appended under the genesis epoch the caller read.
     */
    default AppendOutcome append(DocumentId id, String epoch, long expectedHeadRev, CommittedOp op, String newContent) {
        return appendAll(id, epoch, expectedHeadRev, List.of(op), newContent);
    }

    /**
     * Appends consecutive ops (revs {@code expectedHeadRev + 1} on) as one atomic step: all of them, or none when
     * the head moved, the epoch changed, or any op key was accepted before ({@link AppendOutcome.Duplicate}: then
     * nothing was written and the caller submits them one by one). {@link AppendOutcome.Appended} names the last.
     * Several queued ops of one document go to the store in one step this way.
     */
    AppendOutcome appendAll(
            DocumentId id, String epoch, long expectedHeadRev, List<CommittedOp> ops, String contentAfter);

    /**
     * Whether {@link #appendAllAsync} now returns without waiting on anything (it only sends the commit), so that a
     * request thread may send one itself; false by default, where the commit runs on the calling thread.
     */
    default boolean appendsWithoutWaiting() {
        return false;
    }

    /**
     * {@link #appendAll}, answered once the store has answered. A store whose commit is a network round trip
     * completes the stage from the reply, on its own I/O thread, so no thread waits for the commit; callers must not
     * block in what they chain on it. Failures ({@link DocumentStoreUnavailableException} among them) complete the
     * stage exceptionally, with the meaning they have for {@link #appendAll}. By default the commit runs right here.
     */
    default CompletionStage<AppendOutcome> appendAllAsync(
            DocumentId id, String epoch, long expectedHeadRev, List<CommittedOp> ops, String contentAfter) {
        try {
            return CompletableFuture.completedFuture(appendAll(id, epoch, expectedHeadRev, ops, contentAfter));
        } catch (RuntimeException ex) {
            return CompletableFuture.failedFuture(ex);
        }
    }
}
