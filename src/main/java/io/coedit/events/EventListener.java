package io.coedit.events;

/** A local session as the event transport sees it. Calls must not block: they run on the transport's thread. */
public interface EventListener {

    /** An event frame, serialized once for every recipient. */
    void event(String frame);

    /** The listener's user was revoked; only listeners of an {@link EventTarget.User} hear this. */
    void revoked();
}
