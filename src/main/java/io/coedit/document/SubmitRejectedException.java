package io.coedit.document;

import java.util.Optional;

import io.coedit.error.ErrorCode;
import io.coedit.ot.InvalidOperationException;

/**
 * A submit or read that was not carried out, with the code a client acts on: {@link ErrorCode#INVALID_OP},
 * {@link ErrorCode#STALE_REVISION}, {@link ErrorCode#RESYNC_REQUIRED}, {@link ErrorCode#TOO_LARGE},
 * {@link ErrorCode#UNAVAILABLE} (retry the same op) or {@link ErrorCode#OUTCOME_UNKNOWN} (the base revision left
 * the history and the op ids kept: nobody can tell whether the op was applied, so it is not applied again).
 */
public class SubmitRejectedException extends RuntimeException {

    private final ErrorCode code;
    private final InvalidOperationException.Reason invalidOpReason;

    public SubmitRejectedException(ErrorCode code, String message) {
        this(code, null, message);
    }

    private SubmitRejectedException(ErrorCode code, InvalidOperationException.Reason invalidOpReason, String message) {
        super(message, null, false, false);
        this.code = code;
        this.invalidOpReason = invalidOpReason;
    }

    /** An op that does not fit the document, with the OT core's reason. */
    public static SubmitRejectedException invalidOp(InvalidOperationException ex) {
        return new SubmitRejectedException(ErrorCode.INVALID_OP, ex.reason(), ex.getMessage());
    }

    public ErrorCode code() {
        return code;
    }

    /** How an {@link ErrorCode#INVALID_OP} op is invalid. */
    public Optional<InvalidOperationException.Reason> invalidOpReason() {
        return Optional.ofNullable(invalidOpReason);
    }
}
