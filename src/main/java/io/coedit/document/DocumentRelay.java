package io.coedit.document;

import java.util.List;

/**
 * Carries a document's committed ops and presence between instances. An instance subscribes to a document while
 * it has sessions on it. Delivery is at most once: listeners heal gaps from the op log, never trust the relay alone.
 */
public interface DocumentRelay {

    /** Starts delivering the document's events from other instances; close the subscription after the last session. */
    Subscription subscribe(DocumentId id, RelayListener listener);

    /** Tells other instances about a local session's presence (and records it for {@link #remoteMembers}). */
    void publishPresence(DocumentId id, PresenceUpdate update);

    /** Sessions of other instances currently in the document. */
    List<PresenceUpdate> remoteMembers(DocumentId id);

    /** An active subscription. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
