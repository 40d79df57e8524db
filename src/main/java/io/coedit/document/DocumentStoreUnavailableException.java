package io.coedit.document;

/** The store cannot be reached right now; nothing was written, and the caller may retry later. */
public class DocumentStoreUnavailableException extends RuntimeException {

    public DocumentStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
