package io.coedit.storage;

/**
 * The configured store cannot be used: the start-up stops with {@link #getMessage()} and {@link #action()} (what to
 * set), printed by {@link StorageFailureAnalyzer} as one clear report instead of a stack trace.
 */
public class StorageStartupException extends RuntimeException {

    private final String action;

    StorageStartupException(String message, String action, Throwable cause) {
        super(message, cause);
        this.action = action;
    }

    StorageStartupException(String message, String action) {
        this(message, action, null);
    }

    String action() {
        return action;
    }
}
