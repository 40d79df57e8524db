package io.coedit.ws;

import org.springframework.web.socket.CloseStatus;

/** The close codes of the protocol (docs/protocol.md says which ones a client should reconnect after). */
final class CloseCodes {

    /** Server shutting down or session unresponsive: reconnect. */
    static final CloseStatus GOING_AWAY = CloseStatus.GOING_AWAY;
    /** Binary frames are not part of the protocol. */
    static final CloseStatus BINARY_NOT_SUPPORTED = CloseStatus.NOT_ACCEPTABLE;
    /** A message larger than the limit. */
    static final CloseStatus MESSAGE_TOO_BIG = CloseStatus.TOO_BIG_TO_PROCESS;
    /** Token expired or invalid: get a new token, then reconnect. */
    static final CloseStatus TOKEN_INVALID = new CloseStatus(4401, "token expired or invalid");
    /** Not allowed on this document: do not reconnect. */
    static final CloseStatus FORBIDDEN = new CloseStatus(4403, "forbidden");
    /** The user was revoked ({@code DELETE /api/users/{userId}/sessions}): do not reconnect with the same token. */
    static final CloseStatus REVOKED = new CloseStatus(4403, "access revoked");
    /** Too many messages: reconnect later. */
    static final CloseStatus RATE_LIMITED = new CloseStatus(4429, "rate limited");

    /** The user holds {@code coedit.ws.max-sessions-per-user} sessions here already: retry later, like 4429. */
    static final CloseStatus TOO_MANY_SESSIONS = new CloseStatus(4429, "too many sessions");

    /** A fragmented message was not finished within {@code coedit.ws.partial-message-timeout}. */
    static final CloseStatus MESSAGE_INCOMPLETE =
            CloseStatus.POLICY_VIOLATION.withReason("message not finished in time");
    /** The session could not keep up with its messages: reconnect. */
    static final CloseStatus SLOW_CONSUMER = new CloseStatus(4500, "slow consumer");

    private CloseCodes() {}
}
