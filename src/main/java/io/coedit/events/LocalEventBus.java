package io.coedit.events;

import io.coedit.security.TokenRevocations;

/** One instance: events and revocations go straight to the local sessions. */
public class LocalEventBus implements EventBus {

    private final EventRouter router = new EventRouter();
    private final TokenRevocations revocations;

    public LocalEventBus(TokenRevocations revocations) {
        this.revocations = revocations;
    }

    @Override
    public void publish(EventTarget target, String frame) {
        router.dispatch(target, frame);
    }

    @Override
    public void revoke(String userId, TokenRevocations.Revocation revocation) {
        revocations.record(userId, revocation);
        router.revoked(userId);
    }

    @Override
    public Registration listen(EventTarget target, EventListener listener) {
        return router.add(target, listener);
    }
}
