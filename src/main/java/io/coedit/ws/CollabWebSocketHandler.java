package io.coedit.ws;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;

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

/** The endpoint {@code /ws/documents/{docId}}: joins the room, parses frames, hands them to the dispatcher. */
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
    private final PartialMessageBudget partialBudget;
    private final EventBus events;
    private final WebSocketMetrics metrics;

    CollabWebSocketHandler(
            SessionRegistry sessions,
            RoomRegistry rooms,
            ClientMessageParser parser,
            ClientMessageDispatcher dispatcher,
            WebSocketProperties properties,
            @SessionCloser ExecutorService closer,
            EventBus events,
            WebSocketMetrics metrics) {
        this.events = events;
        this.metrics = metrics;
        this.closer = closer;
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
        DocumentId documentId = (DocumentId) raw.getAttributes().get(DocumentAccessInterceptor.DOCUMENT_ATTRIBUTE);
        CoeditUser user = (CoeditUser) raw.getAttributes().get(DocumentAccessInterceptor.USER_ATTRIBUTE);
        CollabSession session = new CollabSession(
                overflow -> new SocketFrameSink(raw, properties, overflow),
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
        try {
            // before the join, so an event pushed once the snapshot arrived reaches this session
            session.listenTo(events);
            rooms.join(session, properties.maxMessageSize().toBytes());
            if (sessions.get(raw.getId()) != session) {
                rooms.leave(session); // closed (token expiry, say) while it was joining: undo the join
                session.stopListening();
            } else {
                log.info("Session {} opened: user {} on document {}", raw.getId(), user.id(), documentId.value());
            }
        } catch (SubmitRejectedException ex) {
            log.debug("Cannot open {} for session {}: {}", documentId, raw.getId(), ex.getMessage());
            session.close(CloseStatus.SERVICE_OVERLOAD);
        } catch (RuntimeException ex) {
            // the relay could not subscribe (Redis went away mid-join): the client retries later
            log.warn("Cannot open {} for session {}: {}", documentId, raw.getId(), ex.toString());
            session.close(CloseStatus.SERVICE_OVERLOAD);
        }
    }

    @Override
    protected void handleTextMessage(WebSocketSession raw, TextMessage part) {
        CollabSession session = sessions.get(raw.getId());
        if (session == null || session.closing()) {
            return; // frames still arriving after the close began (the rest of an oversized message) are dropped
        }
        long now = System.nanoTime();
        session.heard(now);
        String text;
        try {
            text = session.partial().append(part.getPayload(), part.isLast(), now);
        } catch (PartialMessage.MessageTooBigException ex) {
            session.close(CloseCodes.MESSAGE_TOO_BIG);
            return;
        } catch (PartialMessageBudget.ExhaustedException ex) {
            log.warn(
                    "Unfinished messages hold the whole budget ({}); closing session {}",
                    properties.partialMessagesBudget(),
                    raw.getId());
            session.close(CloseStatus.SERVICE_OVERLOAD);
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
        try {
            dispatcher.dispatch(session, parser.parse(text));
        } catch (BadMessageException ex) {
            dispatcher.reject(session, ex);
        } catch (RuntimeException ex) {
            // a bug must cost this message only, never the session or the others in the document
            log.error("Unexpected failure handling a message of session {}", raw.getId(), ex);
            dispatcher.reject(session, ErrorCode.UNAVAILABLE, "Internal error; retry", null);
        }
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession raw, BinaryMessage message) {
        CollabSession session = sessions.get(raw.getId());
        if (session != null) {
            session.close(CloseCodes.BINARY_NOT_SUPPORTED);
        }
    }

    @Override
    protected void handlePongMessage(WebSocketSession raw, PongMessage message) {
        CollabSession session = sessions.get(raw.getId());
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
        CoeditUser user = (CoeditUser) raw.getAttributes().get(DocumentAccessInterceptor.USER_ATTRIBUTE);
        DocumentId documentId = (DocumentId) raw.getAttributes().get(DocumentAccessInterceptor.DOCUMENT_ATTRIBUTE);
        metrics.closed(status.getCode());
        log.info(
                "Session {} closed: user {} on document {}, {} {}",
                raw.getId(),
                user == null ? "?" : user.id(),
                documentId == null ? "?" : documentId.value(),
                status.getCode(),
                // a client writes its own close reason: no line breaks of its making in the log
                status.getReason() == null ? "" : status.getReason().replaceAll("\\p{Cntrl}", "?"));
        CollabSession session = sessions.get(raw.getId());
        if (session != null) {
            forget(session);
        }
    }

    /** Bytes of unfinished fragmented messages held now, all sessions together. */
    long partialMessageBytes() {
        return partialBudget.held();
    }

    /** Takes a session out of its document, once, whether the socket closed or the server is closing it. */
    private void forget(CollabSession session) {
        session.partial().release();
        session.stopListening();
        if (sessions.remove(session.id()) != null) {
            rooms.leave(session);
        }
    }
}
