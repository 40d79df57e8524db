package io.coedit.ws;

/** Stable error codes of {@code {"type":"error"}} messages; clients switch on these, never on the text. */
enum ErrorCode {
    BAD_MESSAGE("bad_message"),
    INVALID_OP("invalid_op"),
    STALE_REVISION("stale_revision"),
    RESYNC_REQUIRED("resync_required"),
    FORBIDDEN("forbidden"),
    TOO_LARGE("too_large"),
    RATE_LIMITED("rate_limited"),
    UNAVAILABLE("unavailable"),
    OUTCOME_UNKNOWN("outcome_unknown");

    private final String wireValue;

    ErrorCode(String wireValue) {
        this.wireValue = wireValue;
    }

    String wireValue() {
        return wireValue;
    }
}
