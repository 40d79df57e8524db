package io.coedit.support;

import java.util.List;
import java.util.Optional;

import io.coedit.document.AppendOutcome;
import io.coedit.document.ClientOpKey;
import io.coedit.document.CommittedOp;
import io.coedit.document.DocumentId;
import io.coedit.document.DocumentSnapshot;
import io.coedit.document.DocumentStore;
import io.coedit.document.OpIdLookup;
import io.coedit.document.RecentHead;

/**
 * A store that does what {@code delegate} does, for tests that change one step of it (an append that hangs, a
 * commit answered later). The asynchronous append is left to the interface, so it goes through {@link #appendAll}.
 */
public class ForwardingDocumentStore implements DocumentStore {

    protected final DocumentStore delegate;

    public ForwardingDocumentStore(DocumentStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public DocumentSnapshot snapshot(DocumentId id) {
        return delegate.snapshot(id);
    }

    @Override
    public Optional<List<CommittedOp>> opsSince(DocumentId id, String epoch, long rev) {
        return delegate.opsSince(id, epoch, rev);
    }

    @Override
    public OpIdLookup lookUp(DocumentId id, String epoch, ClientOpKey key, long baseRev) {
        return delegate.lookUp(id, epoch, key, baseRev);
    }

    @Override
    public Optional<RecentHead> recent(DocumentId id) {
        return delegate.recent(id);
    }

    @Override
    public AppendOutcome appendAll(
            DocumentId id, String epoch, long expectedHeadRev, List<CommittedOp> ops, String contentAfter) {
        return delegate.appendAll(id, epoch, expectedHeadRev, ops, contentAfter);
    }
}
