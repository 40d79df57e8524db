package io.coedit.ws;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.coedit.events.EventBus;
import io.coedit.events.EventListener;
import io.coedit.events.EventTarget;
import io.coedit.system.LifecyclePhases;

/** Hands events for everyone to every session here: one registration for all of them, none per session. */
@Component
class EventsForEveryone implements EventListener, SmartLifecycle {

    private final EventBus events;
    private final SessionRegistry sessions;
    private EventBus.Registration registration;

    EventsForEveryone(EventBus events, SessionRegistry sessions) {
        this.events = events;
        this.sessions = sessions;
    }

    @Override
    public void start() {
        registration = events.listen(EventTarget.EVERYONE, this);
    }

    @Override
    public void stop() {
        if (registration != null) {
            registration.close();
            registration = null;
        }
    }

    @Override
    public boolean isRunning() {
        return registration != null;
    }

    @Override
    public int getPhase() {
        return LifecyclePhases.ROOMS;
    }

    @Override
    public void event(String text) {
        TextFrame frame = TextFrame.of(text);
        for (CollabSession session : sessions.all()) {
            session.send(frame);
        }
    }

    @Override
    public void revoked() {
        // only a user's listeners hear revocations
    }
}
