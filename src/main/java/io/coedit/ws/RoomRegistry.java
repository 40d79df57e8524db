package io.coedit.ws;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import lombok.extern.slf4j.Slf4j;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.coedit.document.CommittedOp;
import io.coedit.document.DocumentId;
import io.coedit.document.DocumentRelay;
import io.coedit.document.DocumentService;
import io.coedit.document.DocumentSnapshot;
import io.coedit.document.HeadMark;
import io.coedit.document.PresenceUpdate;
import io.coedit.document.RelayListener;
import io.coedit.document.SubmitRejectedException;
import io.coedit.document.SyncResult;
import io.coedit.system.CoeditExecutors.HealTimer;
import io.coedit.system.HeldWrites;
import io.coedit.system.LifecyclePhases;

/**
 * The rooms of this instance, one per document with local sessions. A room exists from its first session to its
 * last, and is subscribed to the relay meanwhile. Ops reach a room from local submits and from the relay; a gap
 * (an op overtook an earlier one, or the relay dropped one) is healed from the op log, and every room checks the
 * log periodically so even a lost last op arrives.
 */
@Slf4j
@Component
class RoomRegistry implements SmartLifecycle {

    static final int MAX_JOIN_ATTEMPTS = 5;
    /** A room further behind than this many ops (a store may keep its whole history) starts over from a snapshot. */
    static final int MAX_HEAL_OPS = 10_000;

    private final Map<DocumentId, SubscribedRoom> rooms = new ConcurrentHashMap<>();
    private final DocumentService documents;
    private final ServerMessages messages;
    private final DocumentRelay relay;
    private final ScheduledExecutorService timer;
    private final WebSocketProperties properties;
    private ScheduledFuture<?> headCheck;
    private final LongAdder heals = new LongAdder();
    private final LongAdder resets = new LongAdder();
    /** Where each open room's document stood at the last head check. */
    private volatile Map<DocumentRoom, HeadMark> headsAtLastCheck = Map.of();

    /** A room and its relay subscription, which is attached after the room is in place (it may wait on Redis). */
    private static final class SubscribedRoom {
        private final DocumentRoom room;
        private DocumentRelay.Subscription subscription;
        private boolean closed;

        SubscribedRoom(DocumentRoom room) {
            this.room = room;
        }

        DocumentRoom room() {
            return room;
        }

        synchronized void attach(DocumentRelay.Subscription newSubscription) {
            if (closed) {
                newSubscription.close();
            } else {
                subscription = newSubscription;
            }
        }

        synchronized void close() {
            closed = true;
            if (subscription != null) {
                subscription.close();
            }
        }
    }

    RoomRegistry(
            DocumentService documents,
            ServerMessages messages,
            DocumentRelay relay,
            @HealTimer ScheduledExecutorService timer,
            WebSocketProperties properties) {
        this.properties = properties;
        this.documents = documents;
        this.messages = messages;
        this.relay = relay;
        this.timer = timer;
    }

    @Override
    public void start() {
        long millis = properties.headCheckInterval().toMillis();
        headCheck = timer.scheduleWithFixedDelay(this::checkHeads, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (headCheck != null) {
            headCheck.cancel(false);
        }
    }

    @Override
    public boolean isRunning() {
        return headCheck != null && !headCheck.isCancelled();
    }

    @Override
    public int getPhase() {
        return LifecyclePhases.ROOMS;
    }

    /**
     * Compares every room with where its document stands, in one store call for all of them, and heals the rooms
     * that still lack an op their document had at the check before, are ahead of it, or are on another epoch: a lost
     * last op of a burst still arrives, within two intervals, at no cost per quiet room. An op committed since the
     * last check may still be on its way through the relay, and is left to it: under load every busy room is a few
     * ops short at any instant, and reading those from the store as well took a tenth of the receiving instance's
     * samples in the 10,000 ops/s run, and Redis' time, just when both had the least to spare.
     */
    void checkHeads() {
        List<DocumentRoom> open =
                rooms.values().stream().map(SubscribedRoom::room).toList();
        if (open.isEmpty()) {
            headsAtLastCheck = Map.of();
            return;
        }
        Map<DocumentId, HeadMark> heads;
        try {
            heads = documents.heads(open.stream().map(DocumentRoom::documentId).toList());
        } catch (RuntimeException ex) {
            log.debug("The periodic head check failed: {}", ex.getMessage());
            return;
        }
        Map<DocumentRoom, HeadMark> lastCheck = headsAtLastCheck;
        Map<DocumentRoom, HeadMark> thisCheck = new HashMap<>();
        for (DocumentRoom room : open) {
            HeadMark head = heads.get(room.documentId());
            if (head == null) {
                if (room.deliveredRev() > 0) {
                    heal(room); // the document is gone from the store
                }
                continue;
            }
            thisCheck.put(room, head);
            HeadMark before = lastCheck.get(room);
            boolean missedAnOpOfTheLastInterval =
                    before != null && before.epoch().equals(room.epoch()) && room.deliveredRev() < before.rev();
            // a room ahead of its document: the store lost history (an older Redis state restored under the same
            // epoch), which the heal's read finds out
            boolean aheadOfTheStore = room.deliveredRev() > head.rev();
            if (!head.epoch().equals(room.epoch()) || aheadOfTheStore || missedAnOpOfTheLastInterval) {
                heal(room);
            }
        }
        headsAtLastCheck = thisCheck;
    }

    /**
     * Loads the snapshot and adds the session to its document's room (made on demand). No Redis call runs while
     * the rooms map is locked: subscribing to the relay happens after the room is in place, and the heal after it
     * covers whatever was published before the subscription took.
     */
    void join(CollabSession session, long maxMessageBytes) {
        for (int attempt = 1; ; attempt++) {
            DocumentSnapshot snapshot = documents.snapshot(session.documentId());
            // a new room learns who is on other instances first, so the joiner's member list is complete
            List<PresenceUpdate> remote =
                    rooms.containsKey(session.documentId()) ? List.of() : remoteMembers(session.documentId());
            boolean[] created = new boolean[1];
            boolean[] joined = new boolean[1];
            // compute() holds the map entry, so a concurrent last-leave cannot drop the room under this join
            SubscribedRoom entry = rooms.compute(session.documentId(), (id, existing) -> {
                SubscribedRoom target = existing == null
                        ? new SubscribedRoom(new DocumentRoom(
                                id,
                                messages,
                                relay,
                                properties.roomRecentOps(),
                                properties.roomRecentBytes().toBytes(),
                                properties.roomRecentAge()))
                        : existing;
                created[0] = existing == null;
                if (created[0]) {
                    target.room().knowRemoteMembers(remote);
                }
                joined[0] = target.room().join(session, snapshot, maxMessageBytes);
                return target.room().isEmpty() ? null : target;
            });
            if (created[0] && entry != null) {
                subscribe(entry);
            }
            if (joined[0]) {
                return;
            }
            if (attempt >= MAX_JOIN_ATTEMPTS) {
                throw new IllegalStateException("The document moves faster than a snapshot can be read");
            }
            if (entry != null && !snapshot.epoch().equals(entry.room().epoch())) {
                heal(entry.room()); // the history changed under the room: it starts over, then the join reads again
            }
        }
    }

    private void subscribe(SubscribedRoom entry) {
        DocumentRoom room = entry.room();
        entry.attach(relay.subscribe(room.documentId(), new RoomListener(room)));
        // whoever joined elsewhere before the subscription took is introduced now; ops are read from the log
        room.knowRemoteMembers(remoteMembers(room.documentId()));
        heal(room);
    }

    private List<PresenceUpdate> remoteMembers(DocumentId id) {
        try {
            return relay.remoteMembers(id);
        } catch (RuntimeException ex) {
            log.debug("Could not read the remote members of {}: {}", id, ex.getMessage());
            return List.of();
        }
    }

    void leave(CollabSession session) {
        rooms.computeIfPresent(session.documentId(), (id, entry) -> {
            entry.room().leave(session);
            if (!entry.room().isEmpty()) {
                return entry;
            }
            entry.close();
            return null;
        });
    }

    /** Answers a {@code sync}, reading the log again if ops arrived in between faster than the room keeps them. */
    void sync(CollabSession session, String epoch, long rev, long maxMessageBytes) {
        for (int attempt = 1; attempt <= MAX_JOIN_ATTEMPTS; attempt++) {
            DocumentRoom room = room(session.documentId());
            SyncResult answer = documents.sync(
                    session.documentId(), epoch, rev, properties.syncMaxBytes().toBytes());
            if (room == null || room.sync(session, answer, rev, maxMessageBytes)) {
                return;
            }
        }
        throw new IllegalStateException("The document moves faster than a sync can be read");
    }

    /** Announces a session's caret to the document's other sessions, here and elsewhere. */
    void cursor(CollabSession session, int pos, int selStart, int selEnd) {
        DocumentRoom room = room(session.documentId());
        if (room != null) {
            room.cursor(session, pos, selStart, selEnd);
        }
    }

    /** Acks a resubmitted op committed before at {@code rev}, now or when the session is sent that revision. */
    void ackDuplicate(CollabSession session, long rev, String opId) {
        DocumentRoom room = room(session.documentId());
        if (room != null) {
            room.ackDuplicate(session, rev, opId);
        }
    }

    /** The sessions of this instance in the document. */
    List<CollabSession> localSessions(DocumentId id) {
        DocumentRoom room = room(id);
        return room == null ? List.of() : room.localSessions();
    }

    /** How many sessions of this instance are in the document; reads no lock. */
    int localSessionCount(DocumentId id) {
        DocumentRoom room = room(id);
        return room == null ? 0 : room.localSessionCount();
    }

    private DocumentRoom room(DocumentId id) {
        SubscribedRoom entry = rooms.get(id);
        return entry == null ? null : entry.room();
    }

    /** Hands a committed op to the document's local sessions, if any. */
    void deliver(DocumentId id, CommittedOp op) {
        SubscribedRoom entry = rooms.get(id);
        if (entry != null && entry.room().deliver(op) >= 0) {
            timer.schedule(() -> heal(entry.room()), properties.gapHealDelay().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    int roomCount() {
        return rooms.size();
    }

    /** Times a room found ops missing and read them from the log. */
    long heals() {
        return heals.sum();
    }

    /** Times a room was too far behind (or on another history) and started over from a snapshot. */
    long resets() {
        return resets.sum();
    }

    private void heal(DocumentRoom room) {
        SubscribedRoom current = rooms.get(room.documentId());
        if (current == null || current.room() != room) {
            return;
        }
        long from = room.deliveredRev();
        try {
            var ops = documents.opsSince(room.documentId(), room.epoch(), from, MAX_HEAL_OPS + 1);
            if (ops.isPresent() && ops.get().size() <= MAX_HEAL_OPS) {
                if (!ops.get().isEmpty() && ops.get().get(ops.get().size() - 1).rev() > room.deliveredRev()) {
                    heals.increment();
                }
                HeldWrites.around(() -> ops.get().forEach(room::deliver));
            } else {
                resets.increment();
                // too far behind to replay (or the history was replaced): everyone here starts over from a snapshot
                log.debug("Room {} is behind the retained history at {}; resetting it", room.documentId(), from);
                room.reset(
                        documents.snapshot(room.documentId()),
                        properties.maxMessageSize().toBytes());
            }
        } catch (SubmitRejectedException ex) {
            log.debug("Healing a gap in {} after {} failed: {}", room.documentId(), from, ex.getMessage());
        } catch (RuntimeException ex) {
            // one broken document must not stop the periodic check of all the others
            log.warn("Healing a gap in {} after {} failed", room.documentId(), from, ex);
        }
    }

    /** Relay events for one room; they arrive on the relay's thread, or on Redis' for a room of a few sessions. */
    private final class RoomListener implements RelayListener {
        private final DocumentRoom room;

        RoomListener(DocumentRoom room) {
            this.room = room;
        }

        @Override
        public void committed(String epoch, CommittedOp op) {
            if (!epoch.equals(room.epoch())) {
                // another history than the one this room's sessions have: the log decides what they get
                timer.execute(() -> heal(room));
                return;
            }
            // a session's writes start once the op is queued for all: one hand-over per event loop, not per session
            HeldWrites.around(() -> deliver(room.documentId(), op));
        }

        @Override
        public void presence(PresenceUpdate update) {
            room.remotePresence(update);
        }

        @Override
        public void resynchronize() {
            // reading the log waits on Redis: not on the relay's thread, which every document shares
            timer.execute(() -> heal(room));
        }

        @Override
        public int localSessions() {
            return room.localSessionCount();
        }
    }
}
