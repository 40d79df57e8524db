package io.coedit.ws;

import lombok.extern.slf4j.Slf4j;

import org.springframework.stereotype.Component;

import io.coedit.document.Author;
import io.coedit.document.SubmitQueue;
import io.coedit.document.SubmitRejectedException;
import io.coedit.document.SubmitResult;
import io.coedit.error.ErrorCode;
import io.coedit.ot.InvalidOperationException;
import io.coedit.security.CoeditUser;
import io.coedit.security.TokenVerifier;

/** Carries out one parsed client message for a session, and answers the ones refused with an {@code error}. */
@Slf4j
@Component
class ClientMessageDispatcher {

    private final SubmitQueue submits;
    private final RoomRegistry rooms;
    private final ServerMessages messages;
    private final TokenVerifier tokens;
    private final WebSocketProperties properties;
    private final WebSocketMetrics metrics;

    ClientMessageDispatcher(
            SubmitQueue submits,
            RoomRegistry rooms,
            ServerMessages messages,
            TokenVerifier tokens,
            WebSocketProperties properties,
            WebSocketMetrics metrics) {
        this.submits = submits;
        this.rooms = rooms;
        this.messages = messages;
        this.tokens = tokens;
        this.properties = properties;
        this.metrics = metrics;
    }

    void dispatch(CollabSession session, ClientMessage message) {
        if (message instanceof ClientMessage.Op op) {
            submit(session, op);
        } else if (message instanceof ClientMessage.Sync sync) {
            sync(session, sync);
        } else if (message instanceof ClientMessage.Cursor cursor) {
            rooms.cursor(session, cursor.pos(), cursor.selStart(), cursor.selEnd());
        } else if (message instanceof ClientMessage.Auth auth) {
            reauthenticate(session, auth);
        }
    }

    private void submit(CollabSession session, ClientMessage.Op message) {
        long receivedNanos = System.nanoTime();
        if (!session.canEdit()) {
            reject(session, ErrorCode.FORBIDDEN, "This token may only read the document", message.id());
            return;
        }
        CoeditUser user = session.user();
        session.acks().submitted(message.id());
        // the request thread never waits on this or any other document's store: it queues the submit, or sends an
        // idle document's commit without waiting for the reply
        submits.submit(
                new SubmitQueue.Submission(
                        session.documentId(),
                        session.epoch(),
                        message.rev(),
                        message.op(),
                        message.id(),
                        new Author(user.id(), user.name())),
                new SubmitQueue.Completion() {
                    @Override
                    public void accepted(SubmitResult result) {
                        committed(session, message.id(), result, receivedNanos);
                    }

                    @Override
                    public void rejected(SubmitRejectedException rejection) {
                        session.acks().refused(message.id());
                        send(
                                session,
                                rejection.code(),
                                rejection.invalidOpReason().orElse(null),
                                rejection.getMessage(),
                                message.id());
                    }

                    @Override
                    public int answerRecipients() {
                        return rooms.localSessionCount(session.documentId());
                    }
                });
    }

    private void committed(CollabSession session, String opId, SubmitResult result, long receivedNanos) {
        if (result instanceof SubmitResult.Accepted accepted) {
            metrics.opAccepted(receivedNanos);
            // the room acks the author in revision order
            rooms.deliver(session.documentId(), accepted.op());
        } else {
            rooms.ackDuplicate(session, result.rev(), opId);
        }
    }

    private void sync(CollabSession session, ClientMessage.Sync message) {
        try {
            rooms.sync(
                    session,
                    message.epoch(),
                    message.rev(),
                    properties.maxMessageSize().toBytes());
        } catch (SubmitRejectedException ex) {
            send(session, ex.code(), null, ex.getMessage(), null);
        }
    }

    private void reauthenticate(CollabSession session, ClientMessage.Auth message) {
        CoeditUser refreshed;
        try {
            refreshed = tokens.verify(message.token());
        } catch (TokenVerifier.InvalidTokenException ex) {
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

    /** Answers a message that does not follow the protocol. */
    void reject(CollabSession session, BadMessageException ex) {
        send(session, ex.code(), ex.invalidOpReason(), ex.getMessage(), ex.opId());
    }

    void reject(CollabSession session, ErrorCode code, String message, String opId) {
        send(session, code, null, message, opId);
    }

    private void send(
            CollabSession session,
            ErrorCode code,
            InvalidOperationException.Reason reason,
            String message,
            String opId) {
        metrics.rejected(code);
        session.send(messages.error(code, reason, message, opId));
    }
}
