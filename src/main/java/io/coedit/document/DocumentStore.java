package io.coedit.document;

import java.util.List;
import java.util.Optional;

/**
 * Where documents and their op logs live. Implementations must make {@link #append} atomic: check the client
 * op id, check that the head is still {@code expectedHeadRev}, store the operation and the new content, bump
 * the revision — all or nothing. That single step is what keeps revisions unique across instances.
 */
public interface DocumentStore {

    /** The document at its head revision; a document never written reads as revision 0, empty, with a new epoch. */
    DocumentSnapshot snapshot(DocumentId id);

    /**
     * The operations after {@code rev} up to the head, in order, or empty when the log no longer holds all of
     * them (or the epoch differs): a caller must never transform against a partial history.
     */
    Optional<List<CommittedOp>> opsSince(DocumentId id, String epoch, long rev);

    /** The stored operation with this client op id, if it is still in the retained log. */
    Optional<CommittedOp> findByClientOpId(DocumentId id, String epoch, String clientOpId);

    /** Appends {@code op} (whose rev is {@code expectedHeadRev + 1}) if the head is still {@code expectedHeadRev}. */
    AppendOutcome append(DocumentId id, String epoch, long expectedHeadRev, CommittedOp op, String newContent);
}
