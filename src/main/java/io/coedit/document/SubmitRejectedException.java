package io.coedit.document;

/** A submit that was not stored, with the reason a client can act on. */
public class SubmitRejectedException extends RuntimeException {

    /** Why a submit was refused. */
    public enum Reason {
        /** The operation does not fit the document (lengths, surrogate pairs, component types). */
        INVALID_OP,
        /** The base revision is ahead of the document. */
        STALE_REVISION,
        /** The base revision or epoch is outside the retained history: reload the snapshot. */
        RESYNC_REQUIRED,
        /** The result would exceed the document size limit. */
        TOO_LARGE,
        /** The store cannot be reached; retry the same operation later. */
        UNAVAILABLE,
        /**
         * The base revision left the history and the op ids kept: nobody can tell whether this op was applied, so
         * it must not be applied again; the client shows its text to its user instead.
         */
        OUTCOME_UNKNOWN
    }

    private final Reason reason;

    public SubmitRejectedException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
