package io.coedit.ws;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.coedit.document.CommittedOp;
import io.coedit.document.DocumentId;
import io.coedit.document.DocumentRelay;
import io.coedit.document.DocumentSnapshot;
import io.coedit.document.PresenceUpdate;
import io.coedit.document.SyncResult;

/**
 * The sessions of one document on this instance, and the ordered delivery of its ops to them. Committed ops may
 * reach it out of order (concurrent submitters, other instances); it hands them to its sessions strictly in revision
 * order, holding back any that arrive early until the gap is filled, so a client never sees revision r+2 before
 * r+1. Who is present is {@link RoomPresence}'s part, under the same lock.
 */
final class DocumentRoom {

    private final DocumentId documentId;
    private final ServerMessages messages;
    private final Map<String, CollabSession> sessions = new ConcurrentHashMap<>();
    private final RoomPresence presence;
    private final TreeMap<Long, CommittedOp> early = new TreeMap<>();
    /** The last ops delivered here, so a session that read the store a moment ago can be brought level. */
    private final ArrayDeque<CommittedOp> recent = new ArrayDeque<>();

    private long deliveredRev = -1;
    /** The history this room's ops belong to: what its sessions were given, and what the relay must match. */
    private volatile String epoch;

    private final int recentOps;
    private final long recentBytesBudget;
    private final Duration recentAge;
    private long recentBytes;

    DocumentRoom(
            DocumentId documentId,
            ServerMessages messages,
            DocumentRelay relay,
            int recentOps,
            long recentBytesBudget,
            Duration recentAge) {
        this.documentId = documentId;
        this.messages = messages;
        this.presence = new RoomPresence(documentId, messages, relay, sessions.values());
        this.recentOps = recentOps;
        this.recentBytesBudget = recentBytesBudget;
        this.recentAge = recentAge;
    }

    DocumentId documentId() {
        return documentId;
    }

    synchronized boolean isEmpty() {
        return sessions.isEmpty();
    }

    /**
     * Sends the snapshot and member list to a new session and announces it to the others. The snapshot was read
     * before this lock: ops this room delivered since are sent right after it.
     *
     * @return false, changing nothing, when the snapshot is too old to be brought level: read a fresh one
     */
    synchronized boolean join(CollabSession session, DocumentSnapshot snapshot, long maxMessageBytes) {
        if (deliveredRev < 0) {
            deliveredRev = snapshot.rev();
            epoch = snapshot.epoch();
        }
        if (!snapshot.epoch().equals(epoch)) {
            return false; // read across an epoch change: the room is reset first, then this join reads again
        }
        if (!canCatchUpFrom(snapshot.rev())) {
            return false;
        }
        session.positionAt(snapshot.epoch(), snapshot.rev());
        session.send(messages.snapshot(snapshot, session, maxMessageBytes));
        catchUp(session);
        sessions.put(session.id(), session);
        presence.joined(session);
        return true;
    }

    private boolean canCatchUpFrom(long rev) {
        return rev >= deliveredRev || (!recent.isEmpty() && recent.peekFirst().rev() <= rev + 1);
    }

    /** Sends the session what this room delivered after the session's position. */
    private void catchUp(CollabSession session) {
        for (CommittedOp op : recent) {
            if (op.rev() > session.sentRev()) {
                session.deliver(op, new OpFrame(op, messages), messages);
            }
        }
    }

    synchronized boolean leave(CollabSession session) {
        if (sessions.remove(session.id()) == null) {
            return false;
        }
        presence.left(session);
        return true;
    }

    /** The sessions of this instance in the document. */
    synchronized List<CollabSession> localSessions() {
        return List.copyOf(sessions.values());
    }

    int localSessionCount() {
        return sessions.size();
    }

    /** Learns the sessions other instances already have in the document, and introduces them to the local ones. */
    synchronized void knowRemoteMembers(List<PresenceUpdate> members) {
        presence.knowRemote(members);
    }

    /** Applies and forwards a presence change of another instance's session. */
    synchronized void remotePresence(PresenceUpdate update) {
        presence.remote(update);
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
            if (early.size() < recentOps) {
                early.put(op.rev(), op); // beyond that the heal reads them from the log: this buffer stays bounded
            }
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
        recent.clear();
        recentBytes = 0;
        deliveredRev = snapshot.rev();
        epoch = snapshot.epoch();
        for (CollabSession session : sessions.values()) {
            if (!snapshot.epoch().equals(session.epoch()) || session.sentRev() < snapshot.rev()) {
                session.positionAt(snapshot.epoch(), snapshot.rev());
                session.send(messages.snapshot(snapshot, session, maxMessageBytes));
            }
        }
    }

    /** Ops and bytes held to bring joiners level (tests: both stay within their budgets). */
    synchronized long recentBytes() {
        return recentBytes;
    }

    synchronized int recentCount() {
        return recent.size();
    }

    synchronized long deliveredRev() {
        return deliveredRev;
    }

    String epoch() {
        return epoch;
    }

    /**
     * Answers a {@code sync}: the ops the client lacks, or a new snapshot when its history is gone. The result was
     * read before this lock; ops delivered since are appended.
     *
     * @return false, sending nothing, when the result is too old to be brought level: read it again
     */
    synchronized boolean sync(CollabSession session, SyncResult result, long clientRev, long maxMessageBytes) {
        if (result instanceof SyncResult.Snapshot fresh) {
            if (!canCatchUpFrom(fresh.snapshot().rev())) {
                return false;
            }
            session.positionAt(fresh.snapshot().epoch(), fresh.snapshot().rev());
            session.send(messages.snapshot(fresh.snapshot(), session, maxMessageBytes));
            catchUp(session);
            return true;
        }
        List<CommittedOp> ops = ((SyncResult.Ops) result).ops();
        long readUpTo = ops.isEmpty() ? clientRev : ops.get(ops.size() - 1).rev();
        if (!canCatchUpFrom(readUpTo)) {
            return false;
        }
        // re-send from the client's revision even what this session was sent before: the client says it lacks it
        session.positionAt(session.epoch(), clientRev);
        for (CommittedOp op : ops) {
            session.deliver(op, new OpFrame(op, messages), messages);
        }
        catchUp(session);
        return true;
    }

    /** Acks a resubmitted op that this session was already sent; later ones are acked when delivered. */
    synchronized void ackDuplicate(CollabSession session, long rev, String opId) {
        session.ackDuplicate(rev, opId, messages);
    }

    synchronized void cursor(CollabSession session, int pos, int selStart, int selEnd) {
        if (!sessions.containsKey(session.id())) {
            return; // it left while this message was on its way: announcing it would bring back a ghost
        }
        presence.cursor(session, pos, selStart, selEnd);
    }

    private void send(CommittedOp op) {
        deliveredRev = op.rev();
        recent.addLast(op);
        recentBytes += op.sizeInBytes();
        // by commit time, not by this clock: ops that arrive late after a stall are still kept for their joiners
        Instant oldestKept = op.timestamp().minus(recentAge);
        while (recent.size() > recentOps
                || (recent.size() > 1
                        && (recentBytes > recentBytesBudget
                                || recent.peekFirst().timestamp().isBefore(oldestKept)))) {
            recentBytes -= recent.removeFirst().sizeInBytes();
        }
        OpFrame frame = new OpFrame(op, messages);
        for (CollabSession session : sessions.values()) {
            session.deliver(op, frame, messages);
        }
    }

    /**
     * The frame that carries an op to every session but its submitter, encoded once, when the first of them needs it:
     * never when the submitter is the only session it goes to (its ack goes out instead), as for an editor whose
     * collaborators are all on other instances.
     */
    private static final class OpFrame implements Supplier<TextFrame> {

        private final CommittedOp op;
        private final ServerMessages messages;
        private TextFrame encoded;

        OpFrame(CommittedOp op, ServerMessages messages) {
            this.op = op;
            this.messages = messages;
        }

        @Override
        public TextFrame get() {
            if (encoded == null) {
                encoded = TextFrame.of(messages.op(op));
            }
            return encoded;
        }
    }
}
