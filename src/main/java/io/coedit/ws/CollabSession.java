package io.coedit.ws;

import java.io.IOException;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import lombok.extern.slf4j.Slf4j;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.SessionLimitExceededException;

import io.coedit.document.CommittedOp;
import io.coedit.document.DocumentId;
import io.coedit.security.CoeditUser;

/**
 * One connection to one document. Sends go through Spring's decorator, so concurrent senders queue instead of
 * blocking each other, and a reader that falls too far behind is closed with 4500 instead of stalling a broadcast.
 */
@Slf4j
final class CollabSession {

    private final WebSocketSession raw;
    private final ConcurrentWebSocketSessionDecorator out;
    private final String clientId;
    private final DocumentId documentId;
    private final RateLimiter rateLimiter;
    private final Set<String> awaitingAck = ConcurrentHashMap.newKeySet();
    private volatile CoeditUser user;
    private volatile long lastHeardNanos;
    private volatile int[] cursor;

    // written and read under the room's lock: what this session has been sent so far
    private String epoch;
    private long sentRev = -1;

    private final PartialMessage partial;

    CollabSession(WebSocketSession raw, WebSocketProperties properties, String clientId, DocumentId documentId,
            CoeditUser user, long nowNanos) {
        this.raw = raw;
        this.out = new ConcurrentWebSocketSessionDecorator(raw, (int) properties.sendTimeLimit().toMillis(),
                (int) Math.min(Integer.MAX_VALUE, properties.sendBufferLimit().toBytes()));
        this.clientId = clientId;
        this.documentId = documentId;
        this.user = user;
        this.rateLimiter = new RateLimiter(properties.rateLimit(), nowNanos);
        this.partial = new PartialMessage(properties.maxMessageSize().toBytes());
        this.lastHeardNanos = nowNanos;
    }

    String id() {
        return raw.getId();
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

    void heard(long nowNanos) {
        lastHeardNanos = nowNanos;
    }

    long lastHeardNanos() {
        return lastHeardNanos;
    }

    void cursor(int pos, int selStart, int selEnd) {
        cursor = new int[] {pos, selStart, selEnd};
    }

    int[] cursor() {
        return cursor;
    }

    void expectAck(String opId) {
        awaitingAck.add(opId);
    }

    void forgetAck(String opId) {
        awaitingAck.remove(opId);
    }

    /** True once for an op id this session submitted and has not been acked for. */
    boolean takeAck(String opId) {
        return awaitingAck.remove(opId);
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
     * Sends a committed op in revision order: as an {@code ack} when this session submitted it, as the shared
     * {@code op} frame otherwise. Revisions this session already has are skipped, so every op arrives once.
     */
    void deliver(CommittedOp op, String sharedOpFrame, ServerMessages messages) {
        if (op.rev() <= sentRev) {
            return;
        }
        sentRev = op.rev();
        send(takeAck(op.clientOpId()) ? messages.ack(op) : sharedOpFrame);
    }

    void send(String text) {
        if (!raw.isOpen()) {
            return;
        }
        try {
            out.sendMessage(new TextMessage(text));
        }
        catch (SessionLimitExceededException ex) {
            log.debug("Session {} is a slow consumer: {}", raw.getId(), ex.getMessage());
            // the decorator would close with 1011; the protocol says 4500 so the client knows to reconnect
            closeRaw(CloseCodes.SLOW_CONSUMER);
        }
        catch (IOException | IllegalStateException ex) {
            log.debug("Send to session {} failed: {}", raw.getId(), ex.getMessage());
            closeRaw(CloseStatus.SESSION_NOT_RELIABLE);
        }
    }

    void ping() {
        try {
            out.sendMessage(new PingMessage());
        }
        catch (SessionLimitExceededException ex) {
            closeRaw(CloseCodes.SLOW_CONSUMER);
        }
        catch (IOException | IllegalStateException ex) {
            closeRaw(CloseStatus.SESSION_NOT_RELIABLE);
        }
    }

    void close(CloseStatus status) {
        closeRaw(status);
    }

    boolean isOpen() {
        return raw.isOpen();
    }

    private void closeRaw(CloseStatus status) {
        try {
            raw.close(status);
        }
        catch (IOException | IllegalStateException ex) {
            log.debug("Closing session {} failed: {}", raw.getId(), ex.getMessage());
        }
    }
}
