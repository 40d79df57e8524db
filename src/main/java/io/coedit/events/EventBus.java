package io.coedit.events;

import io.coedit.security.TokenRevocations;

/**
 * Carries events and revocations to the sessions they target, on this instance or on all of them. Delivery is at
 * most once, to the sessions listening at that moment, in publish order per target.
 */
public interface EventBus {

    /**
     * Hands an event to every session of the target.
     *
     * @throws EventsUnavailableException when the transport cannot take it (nothing was delivered)
     */
    void publish(EventTarget target, String frame);

    /**
     * Records the revocation on every instance and closes the user's sessions.
     *
     * @throws EventsUnavailableException when the transport cannot take it
     */
    void revoke(String userId, TokenRevocations.Revocation revocation);

    /** Delivers the target's events to the listener until the registration is closed. */
    Registration listen(EventTarget target, EventListener listener);

    /** A listener's place on a target. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
