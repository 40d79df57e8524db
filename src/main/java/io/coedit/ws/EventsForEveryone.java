package io.coedit.ws;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

import org.springframework.stereotype.Component;

import io.coedit.events.EventBus;
import io.coedit.events.EventListener;
import io.coedit.events.EventTarget;

/** Hands events for everyone to every session here: one registration for all of them, none per session. */
@Component
class EventsForEveryone implements EventListener {

    private final EventBus events;
    private final SessionRegistry sessions;
    private EventBus.Registration registration;

    EventsForEveryone(EventBus events, SessionRegistry sessions) {
        this.events = events;
        this.sessions = sessions;
    }

    @PostConstruct
    void listen() {
        registration = events.listen(EventTarget.EVERYONE, this);
    }

    @PreDestroy
    void stop() {
        if (registration != null) {
            registration.close();
        }
    }

    @Override
    public void event(String frame) {
        for (CollabSession session : sessions.all()) {
            session.send(frame);
        }
    }

    @Override
    public void revoked() {
        // only a user's listeners hear revocations
    }
}
