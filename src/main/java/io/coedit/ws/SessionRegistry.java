package io.coedit.ws;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.coedit.system.LifecyclePhases;

/** Every session on this instance; on shutdown they are closed with 1001 so clients reconnect elsewhere. */
@Component
class SessionRegistry implements SmartLifecycle {

    private static final long CLOSE_HANDSHAKE_WAIT_NANOS = 2_000_000_000L;

    private final Map<String, CollabSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, Integer> perUser = new ConcurrentHashMap<>();
    private volatile boolean running;

    /** Registers a session unless its user already has {@code maxPerUser} here; false (nothing changed) then. */
    boolean add(CollabSession session, int maxPerUser) {
        boolean[] admitted = new boolean[1];
        perUser.compute(session.user().id(), (user, count) -> {
            int current = count == null ? 0 : count;
            admitted[0] = current < maxPerUser;
            return admitted[0] ? current + 1 : count;
        });
        if (admitted[0]) {
            sessions.put(session.id(), session);
        }
        return admitted[0];
    }

    CollabSession get(String sessionId) {
        return sessions.get(sessionId);
    }

    CollabSession remove(String sessionId) {
        CollabSession removed = sessions.remove(sessionId);
        if (removed != null) {
            perUser.computeIfPresent(removed.user().id(), (user, count) -> count <= 1 ? null : count - 1);
        }
        return removed;
    }

    int sessionsOf(String userId) {
        return perUser.getOrDefault(userId, 0);
    }

    Collection<CollabSession> all() {
        return sessions.values();
    }

    int size() {
        return sessions.size();
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        List<CollabSession> open = List.copyOf(sessions.values());
        open.forEach(session -> session.closeNow(CloseCodes.GOING_AWAY));
        // give clients a moment to answer the close frame; the server stopping first would turn it into a 1006
        long deadline = System.nanoTime() + CLOSE_HANDSHAKE_WAIT_NANOS;
        while (open.stream().anyMatch(CollabSession::isOpen) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // stop before the web server does, while the sockets can still carry a close frame
        return LifecyclePhases.SESSIONS;
    }
}
