package io.coedit.ws;

import io.coedit.error.ErrorCode;
import io.coedit.ot.InvalidOperationException;

/** A frame that does not follow the protocol or its limits; answered with an {@code error} and otherwise ignored. */
final class BadMessageException extends RuntimeException {

    private final ErrorCode code;
    private final InvalidOperationException.Reason invalidOpReason;
    private final String opId;

    BadMessageException(String message, String opId) {
        this(ErrorCode.BAD_MESSAGE, message, opId);
    }

    BadMessageException(ErrorCode code, String message, String opId) {
        this(code, null, message, opId);
    }

    /** An op the OT core refused as malformed. */
    BadMessageException(InvalidOperationException invalid, String opId) {
        this(ErrorCode.INVALID_OP, invalid.reason(), invalid.getMessage(), opId);
    }

    private BadMessageException(
            ErrorCode code, InvalidOperationException.Reason invalidOpReason, String message, String opId) {
        super(message, null, false, false);
        this.code = code;
        this.invalidOpReason = invalidOpReason;
        this.opId = opId;
    }

    ErrorCode code() {
        return code;
    }

    /** How an {@link ErrorCode#INVALID_OP} op is malformed; null for other codes. */
    InvalidOperationException.Reason invalidOpReason() {
        return invalidOpReason;
    }

    String opId() {
        return opId;
    }
}
