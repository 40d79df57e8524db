package io.coedit.ws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.coedit.cluster.DocumentRelay;
import io.coedit.cluster.PresenceUpdate;
import io.coedit.document.CommittedOp;
import io.coedit.document.DocumentId;
import io.coedit.document.DocumentSnapshot;
import io.coedit.document.SyncResult;

/**
 * The sessions of one document on this instance, and what it knows of the document's sessions on other instances. Committed ops may reach it out of order (concurrent submitters,
 * other instances); it hands them to its sessions strictly in revision order, holding back any that arrive early
 * until the gap is filled, so a client never sees revision r+2 before r+1.
 */
final class DocumentRoom {

    private final DocumentId documentId;
    private final ServerMessages messages;
    private final DocumentRelay relay;
    private final Map<String, CollabSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, PresenceUpdate> remoteMembers = new java.util.LinkedHashMap<>();
    private final TreeMap<Long, CommittedOp> early = new TreeMap<>();
    private long deliveredRev = -1;

    DocumentRoom(DocumentId documentId, ServerMessages messages, DocumentRelay relay) {
        this.documentId = documentId;
        this.messages = messages;
        this.relay = relay;
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
        String joined = messages.join(session.clientId(), session.userView());
        sessions.values().forEach(other -> other.send(joined));
        sessions.put(session.id(), session);
        session.send(messages.presence(members()));
        relay.publishPresence(documentId, presenceOf(session, PresenceUpdate.Kind.JOIN));
    }

    synchronized boolean leave(CollabSession session) {
        if (sessions.remove(session.id()) == null) {
            return false;
        }
        String left = messages.leave(session.clientId(), session.userView());
        sessions.values().forEach(other -> other.send(left));
        relay.publishPresence(documentId, presenceOf(session, PresenceUpdate.Kind.LEAVE));
        return true;
    }

    /** Records the sessions other instances already have in the document, before the first local join. */
    synchronized void knowRemoteMembers(List<PresenceUpdate> members) {
        members.forEach(member -> remoteMembers.put(member.clientId(), member));
    }

    /** Applies and forwards a presence change of another instance's session. */
    synchronized void remotePresence(PresenceUpdate update) {
        var user = new ServerMessages.UserView(update.userId(), update.userName());
        String frame;
        if (update.kind() == PresenceUpdate.Kind.LEAVE) {
            if (remoteMembers.remove(update.clientId()) == null) {
                return;
            }
            frame = messages.leave(update.clientId(), user);
        }
        else {
            boolean known = remoteMembers.put(update.clientId(), update) != null;
            if (update.kind() == PresenceUpdate.Kind.JOIN) {
                if (known) {
                    return;
                }
                frame = messages.join(update.clientId(), user);
            }
            else {
                frame = messages.cursor(update.clientId(), user, update.pos(), update.selStart(), update.selEnd());
            }
        }
        sessions.values().forEach(session -> session.send(frame));
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

    /** Starts everyone over from {@code snapshot}: the ops between are no longer retained (or another epoch began). */
    synchronized void reset(DocumentSnapshot snapshot, long maxMessageBytes) {
        early.clear();
        deliveredRev = snapshot.rev();
        for (CollabSession session : sessions.values()) {
            if (!snapshot.epoch().equals(session.epoch()) || session.sentRev() < snapshot.rev()) {
                session.positionAt(snapshot.epoch(), snapshot.rev());
                session.send(messages.snapshot(snapshot, session, maxMessageBytes));
            }
        }
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
        String frame = messages.cursor(session.clientId(), session.userView(), pos, selStart, selEnd);
        for (CollabSession other : sessions.values()) {
            if (other != session) {
                other.send(frame);
            }
        }
        relay.publishPresence(documentId, presenceOf(session, PresenceUpdate.Kind.CURSOR));
    }

    private static PresenceUpdate presenceOf(CollabSession session, PresenceUpdate.Kind kind) {
        int[] cursor = session.cursor();
        return new PresenceUpdate(kind, session.clientId(), session.user().id(), session.user().name(),
                cursor == null ? -1 : cursor[0], cursor == null ? -1 : cursor[1], cursor == null ? -1 : cursor[2]);
    }

    private void send(CommittedOp op) {
        deliveredRev = op.rev();
        String frame = messages.op(op);
        for (CollabSession session : sessions.values()) {
            session.deliver(op, frame, messages);
        }
    }

    private List<ServerMessages.Member> members() {
        List<ServerMessages.Member> members = new ArrayList<>(sessions.size() + remoteMembers.size());
        for (CollabSession session : sessions.values()) {
            int[] cursor = session.cursor();
            members.add(new ServerMessages.Member(session.clientId(), session.userView(),
                    cursor == null ? null : cursor[0], cursor == null ? null : new int[] {cursor[1], cursor[2]}));
        }
        for (PresenceUpdate remote : remoteMembers.values()) {
            boolean hasCursor = remote.pos() >= 0;
            members.add(new ServerMessages.Member(remote.clientId(),
                    new ServerMessages.UserView(remote.userId(), remote.userName()), hasCursor ? remote.pos() : null,
                    hasCursor ? new int[] {remote.selStart(), remote.selEnd()} : null));
        }
        return members;
    }
}
