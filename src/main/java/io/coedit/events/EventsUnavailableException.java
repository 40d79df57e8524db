package io.coedit.events;

/** The event transport (Redis) could not take a push or a revocation; the caller may retry. */
public class EventsUnavailableException extends RuntimeException {

    public EventsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
