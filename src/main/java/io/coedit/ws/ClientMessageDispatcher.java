package io.coedit.ws;

import lombok.extern.slf4j.Slf4j;

import org.springframework.stereotype.Component;

import io.coedit.document.Author;
import io.coedit.document.DocumentService;
import io.coedit.document.SubmitRejectedException;
import io.coedit.document.SubmitResult;
import io.coedit.ot.InvalidOperationException;
import io.coedit.ot.TextOperation;
import io.coedit.security.CoeditUser;
import io.coedit.security.TokenVerifier;

/** Carries out one parsed client message for a session. */
@Slf4j
@Component
class ClientMessageDispatcher {

    private final DocumentService documents;
    private final RoomRegistry rooms;
    private final ServerMessages messages;
    private final TokenVerifier tokens;
    private final WebSocketProperties properties;
    private final WebSocketMetrics metrics;

    ClientMessageDispatcher(DocumentService documents, RoomRegistry rooms, ServerMessages messages,
            TokenVerifier tokens, WebSocketProperties properties, WebSocketMetrics metrics) {
        this.metrics = metrics;
        this.documents = documents;
        this.rooms = rooms;
        this.messages = messages;
        this.tokens = tokens;
        this.properties = properties;
    }

    void dispatch(CollabSession session, ClientMessage message) {
        if (message instanceof ClientMessage.Op op) {
            submit(session, op);
        }
        else if (message instanceof ClientMessage.Sync sync) {
            sync(session, sync);
        }
        else if (message instanceof ClientMessage.Cursor cursor) {
            DocumentRoom room = rooms.room(session.documentId());
            if (room != null) {
                room.cursor(session, cursor.pos(), cursor.selStart(), cursor.selEnd());
            }
        }
        else if (message instanceof ClientMessage.Auth auth) {
            reauthenticate(session, auth);
        }
    }

    private void submit(CollabSession session, ClientMessage.Op message) {
        if (!session.canEdit()) {
            reject(session, ErrorCode.FORBIDDEN, "This token may only read the document", message.id());
            return;
        }
        TextOperation op;
        try {
            op = TextOperation.fromComponents(message.op());
        }
        catch (InvalidOperationException ex) {
            reject(session, ErrorCode.INVALID_OP, ex.getMessage(), message.id());
            return;
        }
        CoeditUser user = session.user();
        session.expectAck(message.id());
        SubmitResult result;
        try {
            result = documents.submit(session.documentId(), session.epoch(), message.rev(), op, message.id(),
                    new Author(user.id(), user.name()));
        }
        catch (SubmitRejectedException ex) {
            session.forgetAck(message.id());
            reject(session, codeOf(ex), ex.getMessage(), message.id());
            return;
        }
        if (!result.duplicate()) {
            metrics.opAccepted();
        }
        // the room acks the author in revision order; a duplicate this session already passed is acked here
        rooms.deliver(session.documentId(), result.op());
        if (result.duplicate()) {
            DocumentRoom room = rooms.room(session.documentId());
            if (room != null) {
                room.ackIfPassed(session, result.op());
            }
        }
    }

    private void sync(CollabSession session, ClientMessage.Sync message) {
        try {
            rooms.sync(session, message.epoch(), message.rev(), properties.maxMessageSize().toBytes());
        }
        catch (SubmitRejectedException ex) {
            reject(session, codeOf(ex), ex.getMessage(), null);
        }
    }

    private void reauthenticate(CollabSession session, ClientMessage.Auth message) {
        CoeditUser refreshed;
        try {
            refreshed = tokens.verify(message.token());
        }
        catch (TokenVerifier.InvalidTokenException ex) {
            session.close(CloseCodes.TOKEN_INVALID);
            return;
        }
        if (!refreshed.id().equals(session.user().id())) {
            reject(session, ErrorCode.FORBIDDEN, "A token refresh must be for the same user", null);
            return;
        }
        if (!refreshed.canRead(session.documentId().value())) {
            session.close(CloseCodes.FORBIDDEN);
            return;
        }
        session.replaceUser(refreshed);
        log.debug("Session {} refreshed its token", session.id());
    }

    void reject(CollabSession session, ErrorCode code, String message, String opId) {
        metrics.rejected(code);
        session.send(messages.error(code, message, opId));
    }

    /** Every submit rejection has the wire code of the same name. */
    private static ErrorCode codeOf(SubmitRejectedException ex) {
        return ErrorCode.valueOf(ex.reason().name());
    }
}
