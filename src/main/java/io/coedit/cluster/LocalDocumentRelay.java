package io.coedit.cluster;

import java.util.List;

import io.coedit.document.DocumentId;
import io.coedit.document.DocumentRelay;
import io.coedit.document.PresenceUpdate;
import io.coedit.document.RelayListener;

/** A single instance has no one to relay to: every session is local and rooms see everything directly. */
public class LocalDocumentRelay implements DocumentRelay {

    @Override
    public Subscription subscribe(DocumentId id, RelayListener listener) {
        return () -> {};
    }

    @Override
    public void publishPresence(DocumentId id, PresenceUpdate update) {
        // nothing to tell: there are no other instances
    }

    @Override
    public List<PresenceUpdate> remoteMembers(DocumentId id) {
        return List.of();
    }
}
