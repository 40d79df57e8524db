package io.coedit.document;

import java.util.List;

/**
 * Where a store that does not publish by itself hands the ops it just committed, so that other instances hear of
 * them (the Redis relay in a cluster). Called after the commit is durable, in commit order per document; it must
 * not block on I/O. Delivery is at most once: receivers fill gaps from the store.
 */
@FunctionalInterface
public interface CommitFeed {

    /** Nobody else to tell: one instance. */
    CommitFeed NONE = (id, epoch, ops) -> {};

    void committed(DocumentId id, String epoch, List<CommittedOp> ops);
}
