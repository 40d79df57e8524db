package io.coedit.ws;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

import lombok.extern.slf4j.Slf4j;

import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.SubProtocolCapable;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

import io.coedit.document.DocumentId;
import io.coedit.document.SubmitRejectedException;
import io.coedit.error.ErrorCode;
import io.coedit.events.EventBus;
import io.coedit.security.CoeditUser;
import io.coedit.system.CoeditExecutors.SessionCloser;
import io.coedit.system.CoeditExecutors.SessionReads;

/**
 * The endpoint {@code /ws/documents/{docId}}: joins the room, parses frames, hands them to the dispatcher. What
 * waits on the store for a session (its join, a {@code sync}) runs on the read threads, never on a request thread;
 * the session's later messages wait in its {@link SessionInbox} meanwhile, so they are still carried out in order.
 */
@Slf4j
@Component
class CollabWebSocketHandler extends AbstractWebSocketHandler implements SubProtocolCapable {

    static final String SUBPROTOCOL = "coedit.v1";

    private final SessionRegistry sessions;
    private final RoomRegistry rooms;
    private final ClientMessageParser parser;
    private final ClientMessageDispatcher dispatcher;
    private final WebSocketProperties properties;
    private final ExecutorService closer;
    private final Executor reads;
    private final PartialMessageBudget partialBudget;
    private final EventBus events;
    private final WebSocketMetrics metrics;
    private final PresenceWait presenceWait;

    CollabWebSocketHandler(
            SessionRegistry sessions,
            RoomRegistry rooms,
            ClientMessageParser parser,
            ClientMessageDispatcher dispatcher,
            WebSocketProperties properties,
            @SessionCloser ExecutorService closer,
            @SessionReads Executor reads,
            EventBus events,
            WebSocketMetrics metrics,
            PresenceWait presenceWait) {
        this.events = events;
        this.presenceWait = presenceWait;
        this.metrics = metrics;
        this.closer = closer;
        this.reads = reads;
        this.partialBudget =
                new PartialMessageBudget(properties.partialMessagesBudget().toBytes());
        this.sessions = sessions;
        this.rooms = rooms;
        this.parser = parser;
        this.dispatcher = dispatcher;
        this.properties = properties;
    }

    @Override
    public List<String> getSubProtocols() {
        return List.of(SUBPROTOCOL);
    }

    @Override
    public boolean supportsPartialMessages() {
        return true;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession raw) {
        opened(
                overflow -> new SocketFrameSink(raw, properties, overflow, presenceWait),
                (DocumentId) raw.getAttributes().get(DocumentAccessInterceptor.DOCUMENT_ATTRIBUTE),
                (CoeditUser) raw.getAttributes().get(DocumentAccessInterceptor.USER_ATTRIBUTE));
    }

    /** A session whose handshake passed, on either transport: it joins its document off the thread that read it. */
    void opened(FrameSink.Factory frames, DocumentId documentId, CoeditUser user) {
        CollabSession session = new CollabSession(
                frames,
                properties,
                UUID.randomUUID().toString(),
                documentId,
                user,
                System.nanoTime(),
                closer,
                this::forget,
                partialBudget);
        if (!sessions.add(session, properties.maxSessionsPerUser())) {
            log.debug(
                    "User {} already has {} sessions here; refusing another",
                    user.id(),
                    properties.maxSessionsPerUser());
            session.close(CloseCodes.TOO_MANY_SESSIONS);
            return;
        }
        offRequestThread(session, () -> join(session));
    }

    private void join(CollabSession session) {
        String id = session.id();
        try {
            // before the join, so an event pushed once the snapshot arrived reaches this session; in cluster mode
            // it may subscribe to the user's and the document's event channels, which waits on Redis
            session.listenTo(events);
            rooms.join(session, properties.maxMessageSize().toBytes());
        } catch (SubmitRejectedException ex) {
            log.debug("Cannot open {} for session {}: {}", session.documentId(), id, ex.getMessage());
            session.close(CloseStatus.SERVICE_OVERLOAD);
            return;
        } catch (RuntimeException ex) {
            // the relay could not subscribe (Redis went away mid-join): the client retries later
            log.warn("Cannot open {} for session {}: {}", session.documentId(), id, ex.toString());
            session.close(CloseStatus.SERVICE_OVERLOAD);
            return;
        }
        if (sessions.get(id) != session) {
            rooms.leave(session); // closed (token expiry, say) while it was joining: undo the join
            session.stopListening();
            return;
        }
        log.info(
                "Session {} opened: user {} on document {}",
                id,
                session.user().id(),
                session.documentId().value());
    }

    @Override
    protected void handleTextMessage(WebSocketSession raw, TextMessage part) {
        received(raw.getId(), part.getPayload(), part.isLast());
    }

    /** A part of a text message of the session {@code id} (the whole message when it is the only part). */
    void received(String id, String part, boolean last) {
        CollabSession session = sessions.get(id);
        if (session == null || session.closing()) {
            return; // frames still arriving after the close began (the rest of an oversized message) are dropped
        }
        long now = System.nanoTime();
        session.heard(now);
        String text;
        try {
            text = session.partial().append(part, last, now);
        } catch (PartialMessage.MessageTooBigException ex) {
            session.close(CloseCodes.MESSAGE_TOO_BIG);
            return;
        } catch (PartialMessageBudget.ExhaustedException ex) {
            closeOverBudget(session);
            return;
        }
        if (text == null) {
            return;
        }
        RateLimiter.Verdict verdict = session.rateLimiter().take(now);
        if (verdict == RateLimiter.Verdict.CLOSE) {
            session.close(CloseCodes.RATE_LIMITED);
            return;
        }
        if (verdict == RateLimiter.Verdict.REJECT) {
            dispatcher.reject(session, ErrorCode.RATE_LIMITED, "Too many messages; slow down", null);
            return;
        }
        boolean inTurn;
        try {
            inTurn = session.inbox().admit(text);
        } catch (SessionInbox.TooManyHeldException | PartialMessageBudget.ExhaustedException ex) {
            log.warn("Session {} sent too much while its join or sync was read; closing it", id);
            session.close(CloseStatus.SERVICE_OVERLOAD);
            return;
        }
        if (inTurn) {
            handle(session, text, false);
        }
    }

    /**
     * Carries out one whole message. A {@code sync} reads the store: on a request thread it moves to the read
     * threads, and the session's next messages wait for it.
     */
    private void handle(CollabSession session, String text, boolean onReadThread) {
        ClientMessage message;
        try {
            message = parser.parse(text);
        } catch (BadMessageException ex) {
            dispatcher.reject(session, ex);
            return;
        }
        if (message instanceof ClientMessage.Sync && !onReadThread) {
            offRequestThread(session, () -> carryOut(session, message));
        } else {
            carryOut(session, message);
        }
    }

    private void carryOut(CollabSession session, ClientMessage message) {
        try {
            dispatcher.dispatch(session, message);
        } catch (RuntimeException ex) {
            // a bug must cost this message only, never the session or the others in the document
            log.error("Unexpected failure handling a message of session {}", session.id(), ex);
            dispatcher.reject(session, ErrorCode.UNAVAILABLE, "Internal error; retry", null);
        }
    }

    /**
     * Runs {@code step} on a read thread, holding the session's messages until it is done, then carries out the
     * ones that arrived meanwhile there, in order.
     */
    private void offRequestThread(CollabSession session, Runnable step) {
        session.inbox().away();
        try {
            reads.execute(() -> {
                try {
                    step.run();
                } catch (RuntimeException ex) {
                    log.error("Unexpected failure reading for session {}", session.id(), ex);
                    session.close(CloseStatus.SERVER_ERROR);
                }
                String held;
                while ((held = session.inbox().next()) != null) {
                    if (!session.closing()) {
                        handle(session, held, true);
                    }
                }
            });
        } catch (RejectedExecutionException ex) {
            session.close(CloseCodes.GOING_AWAY); // the server is stopping
        }
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession raw, BinaryMessage message) {
        receivedBinary(raw.getId());
    }

    /** Binary messages are not part of the protocol: the session {@code id} is closed. */
    void receivedBinary(String id) {
        CollabSession session = sessions.get(id);
        if (session != null) {
            session.close(CloseCodes.BINARY_NOT_SUPPORTED);
        }
    }

    @Override
    protected void handlePongMessage(WebSocketSession raw, PongMessage message) {
        heardPong(raw.getId());
    }

    /** The session {@code id} answered a ping: it is alive. */
    void heardPong(String id) {
        CollabSession session = sessions.get(id);
        if (session != null) {
            session.heard(System.nanoTime());
        }
    }

    @Override
    public void handleTransportError(WebSocketSession raw, Throwable exception) {
        log.debug("Transport error on session {}: {}", raw.getId(), exception.getMessage());
    }

    @Override
    public void afterConnectionClosed(WebSocketSession raw, CloseStatus status) {
        closed(
                raw.getId(),
                (DocumentId) raw.getAttributes().get(DocumentAccessInterceptor.DOCUMENT_ATTRIBUTE),
                (CoeditUser) raw.getAttributes().get(DocumentAccessInterceptor.USER_ATTRIBUTE),
                status);
    }

    /** The connection of the session {@code id} closed, whichever side began it. */
    void closed(String id, DocumentId documentId, CoeditUser user, CloseStatus status) {
        metrics.closed(status.getCode());
        log.info(
                "Session {} closed: user {} on document {}, {} {}",
                id,
                user == null ? "?" : user.id(),
                documentId == null ? "?" : documentId.value(),
                status.getCode(),
                // a client writes its own close reason: no line breaks of its making in the log
                status.getReason() == null ? "" : status.getReason().replaceAll("\\p{Cntrl}", "?"));
        CollabSession session = sessions.get(id);
        if (session != null) {
            forget(session);
        }
    }

    /**
     * The session {@code id}'s share of the budget for the bytes of a frame it is still sending, which the event loop
     * endpoint's decoder holds until the frame is whole (the web server's endpoint hands such a frame on in parts,
     * which {@link PartialMessage} counts): a take that would pass the budget closes the session 1013.
     */
    ArrivingFrames.Budget arrivingBudget(String id) {
        return new ArrivingFrames.Budget() {
            @Override
            public boolean take(long bytes) {
                try {
                    partialBudget.take(bytes);
                    return true;
                } catch (PartialMessageBudget.ExhaustedException ex) {
                    CollabSession session = sessions.get(id);
                    if (session != null && !session.closing()) {
                        closeOverBudget(session);
                    }
                    return false;
                }
            }

            @Override
            public void giveBack(long bytes) {
                partialBudget.giveBack(bytes);
            }
        };
    }

    private void closeOverBudget(CollabSession session) {
        log.warn(
                "Unfinished messages hold the whole budget ({}); closing session {}",
                properties.partialMessagesBudget(),
                session.id());
        session.close(CloseStatus.SERVICE_OVERLOAD);
    }

    /** Bytes received and not yet handled, all sessions together: unfinished messages, messages held behind a read. */
    long partialMessageBytes() {
        return partialBudget.held();
    }

    /** Takes a session out of its document, once, whether the socket closed or the server is closing it. */
    private void forget(CollabSession session) {
        session.partial().release();
        session.inbox().release();
        session.stopListening();
        if (sessions.remove(session.id()) != null) {
            rooms.leave(session);
        }
    }
}
