package io.coedit.ws;

/** A frame that does not follow the protocol or its limits; answered with an {@code error} and otherwise ignored. */
final class BadMessageException extends RuntimeException {

    private final ErrorCode code;
    private final String opId;

    BadMessageException(String message, String opId) {
        this(ErrorCode.BAD_MESSAGE, message, opId);
    }

    BadMessageException(ErrorCode code, String message, String opId) {
        super(message, null, false, false);
        this.code = code;
        this.opId = opId;
    }

    ErrorCode code() {
        return code;
    }

    String opId() {
        return opId;
    }
}
