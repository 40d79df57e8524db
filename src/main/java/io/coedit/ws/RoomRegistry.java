package io.coedit.ws;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import lombok.extern.slf4j.Slf4j;

import org.springframework.stereotype.Component;

import io.coedit.document.CommittedOp;
import io.coedit.document.DocumentId;
import io.coedit.document.DocumentService;
import io.coedit.document.DocumentSnapshot;
import io.coedit.document.SubmitRejectedException;

/**
 * The rooms of this instance, one per document with local sessions. A room exists from its first session to its
 * last; an op that finds a gap (it overtook an earlier one, or an earlier one was missed) is healed from the op log.
 */
@Slf4j
@Component
class RoomRegistry {

    static final long GAP_HEAL_DELAY_MILLIS = 50;

    private final Map<DocumentId, DocumentRoom> rooms = new ConcurrentHashMap<>();
    private final DocumentService documents;
    private final ServerMessages messages;
    private final ScheduledExecutorService timer;

    RoomRegistry(DocumentService documents, ServerMessages messages, ScheduledExecutorService coeditWsTimer) {
        this.documents = documents;
        this.messages = messages;
        this.timer = coeditWsTimer;
    }

    /** Loads the snapshot and adds the session to its document's room (made on demand). */
    void join(CollabSession session, long maxMessageBytes) {
        DocumentSnapshot snapshot = documents.snapshot(session.documentId());
        // compute() holds the map entry, so a concurrent last-leave cannot drop the room under this join
        rooms.compute(session.documentId(), (id, room) -> {
            DocumentRoom target = room == null ? new DocumentRoom(id, messages) : room;
            target.join(session, snapshot, maxMessageBytes);
            return target;
        });
        DocumentRoom room = rooms.get(session.documentId());
        if (room != null && room.deliveredRev() < snapshot.rev()) {
            heal(room);
        }
    }

    void leave(CollabSession session) {
        rooms.computeIfPresent(session.documentId(), (id, room) -> {
            room.leave(session);
            return room.isEmpty() ? null : room;
        });
    }

    DocumentRoom room(DocumentId id) {
        return rooms.get(id);
    }

    /** Hands a committed op to the document's local sessions, if any. */
    void deliver(DocumentId id, CommittedOp op) {
        DocumentRoom room = rooms.get(id);
        if (room != null && room.deliver(op) >= 0) {
            timer.schedule(() -> heal(room), GAP_HEAL_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    int roomCount() {
        return rooms.size();
    }

    private void heal(DocumentRoom room) {
        if (rooms.get(room.documentId()) != room) {
            return;
        }
        long from = room.deliveredRev();
        try {
            documents.opsSince(room.documentId(), from).ifPresent(ops -> ops.forEach(room::deliver));
        }
        catch (SubmitRejectedException ex) {
            log.debug("Healing a gap in {} after {} failed: {}", room.documentId(), from, ex.getMessage());
            timer.schedule(() -> heal(room), GAP_HEAL_DELAY_MILLIS * 10, TimeUnit.MILLISECONDS);
        }
    }
}
