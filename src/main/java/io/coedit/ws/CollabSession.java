package io.coedit.ws;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.springframework.web.socket.CloseStatus;

import io.coedit.document.CommittedOp;
import io.coedit.document.DocumentId;
import io.coedit.events.EventBus;
import io.coedit.events.EventListener;
import io.coedit.events.EventTarget;
import io.coedit.security.CoeditUser;

/**
 * One connection to one document. Frames go to a {@link FrameSink}, so no sender ever blocks on this socket, and a
 * reader that falls too far behind is closed with 4500 instead of stalling a broadcast.
 */
final class CollabSession implements EventListener {

    private final FrameSink out;
    private final Executor closer;
    private final Consumer<CollabSession> onClose;
    private final String clientId;
    private final DocumentId documentId;
    private final RateLimiter rateLimiter;
    private final PendingAcks acks = new PendingAcks();
    private final Instant since = Instant.now();
    private List<EventBus.Registration> eventRoutes = List.of();
    private boolean eventsStopped;
    private volatile CoeditUser user;
    private volatile long lastHeardNanos;
    private volatile int[] cursor;
    /** This session's entry in the member list a joiner gets, with the user and cursor it was written from. */
    private volatile MemberEntry memberEntry;

    // written and read under the room's lock: what this session has been sent so far
    private String epoch;
    private long sentRev = -1;

    private final PartialMessage partial;
    private final SessionInbox inbox;

    private volatile boolean closing;

    CollabSession(
            FrameSink.Factory frames,
            WebSocketProperties properties,
            String clientId,
            DocumentId documentId,
            CoeditUser user,
            long nowNanos,
            Executor closer,
            Consumer<CollabSession> onClose,
            PartialMessageBudget partialBudget) {
        this.onClose = onClose;
        this.out = frames.open(() -> abandon(CloseCodes.SLOW_CONSUMER));
        this.closer = closer;
        this.clientId = clientId;
        this.documentId = documentId;
        this.user = user;
        this.rateLimiter = new RateLimiter(properties.rateLimit(), nowNanos);
        this.partial = new PartialMessage(properties.maxMessageSize().toBytes(), partialBudget);
        this.inbox = new SessionInbox(partialBudget);
        this.lastHeardNanos = nowNanos;
    }

    String id() {
        return out.id();
    }

    /** Where this session's frames go. */
    FrameSink frames() {
        return out;
    }

    String clientId() {
        return clientId;
    }

    DocumentId documentId() {
        return documentId;
    }

    CoeditUser user() {
        return user;
    }

    /** When the session was opened. */
    Instant since() {
        return since;
    }

    void replaceUser(CoeditUser refreshed) {
        this.user = refreshed;
    }

    ServerMessages.UserView userView() {
        CoeditUser current = user;
        return new ServerMessages.UserView(current.id(), current.name());
    }

    boolean canEdit() {
        return user.canWrite(documentId.value());
    }

    boolean tokenExpired(Instant now) {
        Instant expiresAt = user.expiresAt();
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    RateLimiter rateLimiter() {
        return rateLimiter;
    }

    PartialMessage partial() {
        return partial;
    }

    /** Its messages, held in order while its join or a sync waits on the store. */
    SessionInbox inbox() {
        return inbox;
    }

    void heard(long nowNanos) {
        lastHeardNanos = nowNanos;
    }

    long lastHeardNanos() {
        return lastHeardNanos;
    }

    /**
     * The last sign that the peer is there: a message or pong from it, or a write to it that completed. A session
     * kept busy by a stream of ops is pinged only when its outbox is idle (a ping must not interleave with a
     * message), so under load its writes are what show it alive; a peer that stops taking data stalls a write and
     * is closed as a slow consumer instead.
     */
    long lastSignOfLifeNanos() {
        long heard = lastHeardNanos;
        long written = out.lastWrittenNanos();
        return written - heard > 0 ? written : heard;
    }

    void cursor(int pos, int selStart, int selEnd) {
        cursor = new int[] {pos, selStart, selEnd};
    }

    /**
     * This session as a member of its document, serialized once for all those who join after it, until its user (a
     * refreshed token) or its cursor changes. The entry is compared with the user and cursor it was written from, not
     * dropped when they change: a refresh on another thread cannot leave an entry written from the old user behind.
     */
    String memberJson(ServerMessages messages) {
        CoeditUser current = user;
        int[] at = cursor;
        MemberEntry entry = memberEntry;
        if (entry == null || entry.user() != current || entry.cursor() != at) {
            var view = new ServerMessages.UserView(current.id(), current.name());
            String json = at == null
                    ? messages.member(clientId(), view, -1, -1, -1)
                    : messages.member(clientId(), view, at[0], at[1], at[2]);
            entry = new MemberEntry(current, at, json);
            memberEntry = entry;
        }
        return entry.json();
    }

    private record MemberEntry(CoeditUser user, int[] cursor, String json) {}

    int[] cursor() {
        return cursor;
    }

    /** The acks this session is owed. */
    PendingAcks acks() {
        return acks;
    }

    String epoch() {
        return epoch;
    }

    long sentRev() {
        return sentRev;
    }

    void positionAt(String epoch, long rev) {
        this.epoch = epoch;
        this.sentRev = rev;
    }

    /**
     * Sends a committed op in revision order, as its ack to its author ({@link PendingAcks}). Revisions this session
     * already has are skipped, so every op arrives once. Called under the room's lock.
     */
    void deliver(CommittedOp op, Supplier<TextFrame> sharedOpFrame, ServerMessages messages) {
        if (op.rev() <= sentRev) {
            return;
        }
        sentRev = op.rev();
        send(acks.frameFor(op, user.id(), sharedOpFrame, messages));
    }

    /** Acks a resubmitted op that was committed before, once this session has its revision. */
    void ackDuplicate(long rev, String opId, ServerMessages messages) {
        String ack = acks.ackForDuplicate(rev, opId, sentRev, messages);
        if (ack != null) {
            send(ack);
        }
    }

    void send(String text) {
        out.send(TextFrame.of(text));
    }

    /** Sends a frame encoded once for every session it goes to. */
    void send(TextFrame frame) {
        out.send(frame);
    }

    /** Sends a presence change, which may wait a moment for others to leave in the same write. */
    void sendSoon(TextFrame frame) {
        out.sendSoon(frame);
    }

    /**
     * Starts hearing the events of this session's user and of its document (events for everyone reach every
     * session through {@link EventsForEveryone}, with no registration per session).
     *
     * @throws RuntimeException when the transport cannot subscribe (Redis away); what was registered stays
     *         registered until {@link #stopListening}
     */
    synchronized void listenTo(EventBus events) {
        if (eventsStopped) {
            return;
        }
        List<EventBus.Registration> routes = new ArrayList<>(2);
        eventRoutes = routes;
        routes.add(events.listen(new EventTarget.User(user.id()), this));
        routes.add(events.listen(new EventTarget.Document(documentId), this));
    }

    /** Stops hearing events, for good (also when it never started: a later {@link #listenTo} does nothing). */
    synchronized void stopListening() {
        eventsStopped = true;
        eventRoutes.forEach(EventBus.Registration::close);
        eventRoutes = List.of();
    }

    @Override
    public void event(String frame) {
        send(frame);
    }

    @Override
    public void revoked() {
        close(CloseCodes.REVOKED);
    }

    /** Pings when nothing else is being written; a busy connection is checked by the send time limit instead. */
    void ping() {
        if (out.idle()) {
            out.ping();
        }
    }

    boolean sendStalled(long nowNanos, long limitNanos) {
        return out.stalled(nowNanos, limitNanos);
    }

    /**
     * Closes once what is already queued for the client is written (the error that explains the close, say), on
     * another thread: closing may block until Tomcat gives up on the close frame.
     */
    void close(CloseStatus status) {
        closing = true;
        out.stopAfterQueued(() -> closer.execute(() -> closeNow(status)));
    }

    /** Closes without writing what is queued: for a client that stopped reading or answering. */
    void abandon(CloseStatus status) {
        closing = true;
        out.stopSending();
        closer.execute(() -> closeNow(status));
    }

    /** Closes on the calling thread, as shutdown must: the close frame has to leave before the server stops. */
    void closeNow(CloseStatus status) {
        closing = true;
        out.stopSending();
        // leave the document now: a peer that stopped reading may never finish the close handshake
        onClose.accept(this);
        out.close(status);
    }

    boolean isOpen() {
        return out.isOpen();
    }

    /** True once the server began closing this session: nothing it sends from then on is read. */
    boolean closing() {
        return closing;
    }
}
