package io.coedit.events;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import lombok.extern.slf4j.Slf4j;

/**
 * This instance's listeners by target. A transport learns when a target gets its first listener and loses its last
 * (to subscribe to the target's channel only while someone here listens). A failing listener costs its own delivery
 * only.
 */
@Slf4j
public final class EventRouter {

    /** Told when a target gets its first listener here and when its last one leaves. */
    public interface TargetWatcher {
        default void opened(EventTarget target) {}

        default void closed(EventTarget target) {}
    }

    private final Map<EventTarget, Set<EventListener>> listeners = new ConcurrentHashMap<>();
    private final TargetWatcher watcher;

    public EventRouter(TargetWatcher watcher) {
        this.watcher = watcher;
    }

    public EventRouter() {
        this(new TargetWatcher() {});
    }

    public EventBus.Registration add(EventTarget target, EventListener listener) {
        listeners.compute(target, (key, current) -> {
            Set<EventListener> set = current;
            if (set == null) {
                set = ConcurrentHashMap.newKeySet();
                watcher.opened(target);
            }
            set.add(listener);
            return set;
        });
        return () -> listeners.computeIfPresent(target, (key, set) -> {
            set.remove(listener);
            if (!set.isEmpty()) {
                return set;
            }
            try {
                watcher.closed(target);
            } catch (RuntimeException ex) {
                // leaving must always work (a session closing goes on to leave its room): the target is gone here
                log.warn("Could not stop listening to {}: {}", target, ex.toString());
            }
            return null;
        });
    }

    /** Hands the frame to the target's listeners here. */
    public void dispatch(EventTarget target, String frame) {
        Set<EventListener> set = listeners.get(target);
        if (set == null) {
            return;
        }
        for (EventListener listener : set) {
            try {
                listener.event(frame);
            } catch (RuntimeException ex) {
                log.warn("Delivering an event to a session failed", ex);
            }
        }
    }

    /** Tells the user's listeners here that the user was revoked. */
    public void revoked(String userId) {
        Set<EventListener> set = listeners.get(new EventTarget.User(userId));
        if (set == null) {
            return;
        }
        for (EventListener listener : set) {
            try {
                listener.revoked();
            } catch (RuntimeException ex) {
                log.warn("Closing a revoked session failed", ex);
            }
        }
    }

    /** Targets with at least one listener here. */
    public Set<EventTarget> targets() {
        return listeners.keySet();
    }
}
