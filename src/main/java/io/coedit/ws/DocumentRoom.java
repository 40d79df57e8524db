package io.coedit.ws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.coedit.document.CommittedOp;
import io.coedit.document.DocumentId;
import io.coedit.document.DocumentSnapshot;
import io.coedit.document.SyncResult;

/**
 * The sessions of one document on this instance. Committed ops may reach it out of order (concurrent submitters,
 * other instances); it hands them to its sessions strictly in revision order, holding back any that arrive early
 * until the gap is filled, so a client never sees revision r+2 before r+1.
 */
final class DocumentRoom {

    private final DocumentId documentId;
    private final ServerMessages messages;
    private final Map<String, CollabSession> sessions = new ConcurrentHashMap<>();
    private final TreeMap<Long, CommittedOp> early = new TreeMap<>();
    private long deliveredRev = -1;

    DocumentRoom(DocumentId documentId, ServerMessages messages) {
        this.documentId = documentId;
        this.messages = messages;
    }

    DocumentId documentId() {
        return documentId;
    }

    synchronized boolean isEmpty() {
        return sessions.isEmpty();
    }

    /** Sends the snapshot and member list to a new session and announces it to the others. */
    synchronized void join(CollabSession session, DocumentSnapshot snapshot, long maxMessageBytes) {
        if (deliveredRev < 0) {
            deliveredRev = snapshot.rev();
        }
        session.positionAt(snapshot.epoch(), snapshot.rev());
        session.send(messages.snapshot(snapshot, session, maxMessageBytes));
        String joined = messages.join(session);
        sessions.values().forEach(other -> other.send(joined));
        sessions.put(session.id(), session);
        session.send(messages.presence(members()));
    }

    synchronized boolean leave(CollabSession session) {
        if (sessions.remove(session.id()) == null) {
            return false;
        }
        String left = messages.leave(session);
        sessions.values().forEach(other -> other.send(left));
        return true;
    }

    /**
     * Delivers a committed op in revision order.
     *
     * @return the first missing revision when ops are held back waiting for it, otherwise -1
     */
    synchronized long deliver(CommittedOp op) {
        if (op.rev() <= deliveredRev) {
            return -1;
        }
        if (op.rev() > deliveredRev + 1) {
            early.put(op.rev(), op);
            return deliveredRev + 1;
        }
        send(op);
        while (!early.isEmpty() && early.firstKey() <= deliveredRev + 1) {
            CommittedOp next = early.pollFirstEntry().getValue();
            if (next.rev() == deliveredRev + 1) {
                send(next);
            }
        }
        return early.isEmpty() ? -1 : deliveredRev + 1;
    }

    synchronized long deliveredRev() {
        return deliveredRev;
    }

    /** Answers a {@code sync}: the ops the client lacks, or a new snapshot when its history is gone. */
    synchronized void sync(CollabSession session, SyncResult result, long clientRev, long maxMessageBytes) {
        if (result instanceof SyncResult.Snapshot fresh) {
            session.positionAt(fresh.snapshot().epoch(), fresh.snapshot().rev());
            session.send(messages.snapshot(fresh.snapshot(), session, maxMessageBytes));
            return;
        }
        // re-send from the client's revision even what this session was sent before: the client says it lacks it
        session.positionAt(session.epoch(), clientRev);
        for (CommittedOp op : ((SyncResult.Ops) result).ops()) {
            session.deliver(op, messages.op(op), messages);
        }
    }

    /** Acks a resubmitted op that this session was already sent; later ones are acked when delivered. */
    synchronized void ackIfPassed(CollabSession session, CommittedOp original) {
        if (original.rev() <= session.sentRev() && session.takeAck(original.clientOpId())) {
            session.send(messages.ack(original));
        }
    }

    synchronized void cursor(CollabSession session, int pos, int selStart, int selEnd) {
        session.cursor(pos, selStart, selEnd);
        String frame = messages.cursor(session, pos, selStart, selEnd);
        for (CollabSession other : sessions.values()) {
            if (other != session) {
                other.send(frame);
            }
        }
    }

    private void send(CommittedOp op) {
        deliveredRev = op.rev();
        String frame = messages.op(op);
        for (CollabSession session : sessions.values()) {
            session.deliver(op, frame, messages);
        }
    }

    private List<ServerMessages.Member> members() {
        List<ServerMessages.Member> members = new ArrayList<>(sessions.size());
        for (CollabSession session : sessions.values()) {
            int[] cursor = session.cursor();
            members.add(new ServerMessages.Member(session.clientId(), session.userView(),
                    cursor == null ? null : cursor[0], cursor == null ? null : new int[] {cursor[1], cursor[2]}));
        }
        return members;
    }
}
