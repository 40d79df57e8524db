package io.coedit.events;

import java.util.Locale;

import org.springframework.http.HttpStatus;

/** A push or a revocation refused for what the request says; nothing was delivered. */
public class EventRejectedException extends RuntimeException {

    /** Why, with the HTTP status and the stable {@code code} of the problem answer. */
    public enum Reason {
        INVALID_JSON(HttpStatus.BAD_REQUEST),
        INVALID_NAME(HttpStatus.BAD_REQUEST),
        INVALID_USER_ID(HttpStatus.BAD_REQUEST),
        INVALID_IDEMPOTENCY_KEY(HttpStatus.BAD_REQUEST),
        PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE),
        IDEMPOTENCY_KEY_REUSED(HttpStatus.UNPROCESSABLE_CONTENT);

        private final HttpStatus status;

        Reason(HttpStatus status) {
            this.status = status;
        }

        public HttpStatus status() {
            return status;
        }

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Reason reason;

    public EventRejectedException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
