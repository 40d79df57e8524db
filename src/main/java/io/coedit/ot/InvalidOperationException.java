package io.coedit.ot;

import java.util.Objects;

/**
 * Rejects an operation that is malformed or does not fit its document. The {@link #reason()} reaches the client as
 * the {@code reason} of its {@code invalid_op} error (docs/protocol.md), and clients may switch on it; the message
 * is only meant for humans.
 */
public class InvalidOperationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Stable, machine-readable causes; their names are part of the wire protocol and of the shared test vectors. */
    public enum Reason {
        /** A component is neither a non-zero integral number nor a string (boolean, null, 1.5, nested array...). */
        WRONG_COMPONENT_TYPE,
        /** A component is {@code 0} or {@code ""}; canonical operations never contain one. */
        ZERO_LENGTH_COMPONENT,
        /** A component, or the operation's total length, does not fit in a Java {@code int}. */
        LENGTH_OUT_OF_RANGE,
        /** The operation's base length differs from the document (or the other operation) it meets. */
        BASE_LENGTH_MISMATCH,
        /** The operation would cut a UTF-16 surrogate pair in two, corrupting an emoji or other astral character. */
        SPLITS_SURROGATE_PAIR
    }

    private final Reason reason;

    public InvalidOperationException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    /** The stable code clients switch on, e.g. {@code "BASE_LENGTH_MISMATCH"}. */
    public String code() {
        return reason.name();
    }
}
