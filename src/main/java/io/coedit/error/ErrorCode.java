package io.coedit.error;

import java.util.Locale;

import org.springframework.http.HttpStatus;

/**
 * Stable error codes; clients switch on these, never on the text. The wire protocol sends them as {@code code} in
 * {@code {"type":"error"}} frames and REST as the {@code code} property of a problem; each code means the same in
 * both, and has one HTTP status. docs/protocol.md and docs/api.md list which answers use which.
 */
public enum ErrorCode {

    /** The frame or request does not follow the protocol. */
    BAD_MESSAGE(HttpStatus.BAD_REQUEST),
    /** The operation is malformed or does not fit the document; the {@code reason} says how. */
    INVALID_OP(HttpStatus.BAD_REQUEST),
    /** The base revision is ahead of the document. */
    STALE_REVISION(HttpStatus.BAD_REQUEST),
    /** The revision or epoch is outside the retained history: reload the snapshot. */
    RESYNC_REQUIRED(HttpStatus.GONE),
    /** No valid token. */
    UNAUTHORIZED(HttpStatus.UNAUTHORIZED),
    /** The token does not allow this. */
    FORBIDDEN(HttpStatus.FORBIDDEN),
    /** No such document. */
    NOT_FOUND(HttpStatus.NOT_FOUND),
    /** A document id outside the allowed characters or length. */
    INVALID_DOCUMENT_ID(HttpStatus.BAD_REQUEST),
    /** The op or the document it would make exceeds a limit. */
    TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE),
    /** Too many messages or requests: slow down. */
    RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS),
    /** A store or Redis cannot be reached: retry the same request. */
    UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE),
    /** Nobody can tell whether the op was applied, so it is not applied again. */
    OUTCOME_UNKNOWN(HttpStatus.CONFLICT),
    /** An event body that is not JSON. */
    INVALID_JSON(HttpStatus.BAD_REQUEST),
    /** An event name outside the allowed characters or length. */
    INVALID_NAME(HttpStatus.BAD_REQUEST),
    /** A user id outside the allowed characters or length. */
    INVALID_USER_ID(HttpStatus.BAD_REQUEST),
    /** An {@code Idempotency-Key} outside the allowed characters or length. */
    INVALID_IDEMPOTENCY_KEY(HttpStatus.BAD_REQUEST),
    /** An event payload over its byte limit. */
    PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE),
    /** An {@code Idempotency-Key} used before with another request. */
    IDEMPOTENCY_KEY_REUSED(HttpStatus.UNPROCESSABLE_CONTENT);

    private final HttpStatus status;
    private final String value;

    ErrorCode(HttpStatus status) {
        this.status = status;
        this.value = name().toLowerCase(Locale.ROOT);
    }

    /** As clients see it: {@code "invalid_op"}. */
    public String value() {
        return value;
    }

    /** The status of a REST answer with this code. */
    public HttpStatus status() {
        return status;
    }
}
