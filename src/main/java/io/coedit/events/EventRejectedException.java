package io.coedit.events;

import io.coedit.error.ErrorCode;

/** A push or a revocation refused for what the request says; nothing was delivered. */
public class EventRejectedException extends RuntimeException {

    private final ErrorCode code;

    /**
     * {@code code}: {@link ErrorCode#INVALID_JSON}, {@link ErrorCode#INVALID_NAME}, {@link ErrorCode#INVALID_USER_ID},
     * {@link ErrorCode#INVALID_IDEMPOTENCY_KEY}, {@link ErrorCode#PAYLOAD_TOO_LARGE} or
     * {@link ErrorCode#IDEMPOTENCY_KEY_REUSED}.
     */
    public EventRejectedException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
