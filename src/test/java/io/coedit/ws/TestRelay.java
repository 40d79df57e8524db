package io.coedit.ws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.coedit.document.DocumentId;
import io.coedit.document.DocumentRelay;
import io.coedit.document.PresenceUpdate;
import io.coedit.document.RelayListener;

/** A relay with no other instance behind it that remembers what was published and who subscribed. */
final class TestRelay implements DocumentRelay {

    final List<PresenceUpdate> published = new ArrayList<>();
    final Map<DocumentId, RelayListener> listeners = new ConcurrentHashMap<>();

    @Override
    public Subscription subscribe(DocumentId id, RelayListener listener) {
        listeners.put(id, listener);
        return () -> listeners.remove(id, listener);
    }

    @Override
    public synchronized void publishPresence(DocumentId id, PresenceUpdate update) {
        published.add(update);
    }

    @Override
    public List<PresenceUpdate> remoteMembers(DocumentId id) {
        return List.of();
    }
}
