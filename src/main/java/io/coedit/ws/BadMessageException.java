package io.coedit.ws;

/** A frame that does not follow the protocol; answered with an {@code error} and otherwise ignored. */
final class BadMessageException extends RuntimeException {

    private final String opId;

    BadMessageException(String message, String opId) {
        super(message, null, false, false);
        this.opId = opId;
    }

    String opId() {
        return opId;
    }
}
