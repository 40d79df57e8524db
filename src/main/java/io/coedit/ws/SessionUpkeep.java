package io.coedit.ws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import lombok.extern.slf4j.Slf4j;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.coedit.security.TokenRevocations;
import io.coedit.system.CoeditExecutors.SessionTimer;
import io.coedit.system.LifecyclePhases;

/**
 * Once a second: closes sessions whose token expired (4401) or was revoked (4403), that stopped reading (4500) or
 * that went silent (1001: no pong, message or completed write for a heartbeat interval and timeout), and pings
 * each session once per heartbeat interval.
 *
 * <p>The pings are spread over the interval: each sweep pings the sessions of one slot (by session id) of as many
 * slots as the interval has whole sweeps (rounded down, so a session is not pinged less often than the interval
 * asks, but for the second a sweep takes to reach it). Pinging every session in the same sweep made a burst of
 * writes, and then of pongs, every 25 s on an instance holding thousands of idle sessions.
 *
 * <p>A sweep is spread over its second as well: every {@value #TICK_MILLIS} ms a tick checks the next
 * {@value #TICKS_PER_SWEEP}th of the sessions there were when the sweep began. Checking 10,000 idle sessions in one
 * go held a core for 5-15 ms each second (up to 78 on a busy box), before the 400 pings of that second, and the
 * relay's slowest ops clustered in those moments: a hundredth of the ops, of which 18% were in flight during a sweep
 * that covered 2% of the time.
 */
@Slf4j
@Component
class SessionUpkeep implements SmartLifecycle {

    private static final long TICK_MILLIS = 50;
    private static final int TICKS_PER_SWEEP = 20;
    private static final long SWEEP_MILLIS = TICK_MILLIS * TICKS_PER_SWEEP;

    private final SessionRegistry sessions;
    private final WebSocketProperties properties;
    private final ScheduledExecutorService timer;
    private final Clock clock;
    private final TokenRevocations revocations;
    private ScheduledFuture<?> sweep;
    private long sweeps;
    private int ticks;
    private CollabSession[] sweeping = new CollabSession[0];

    SessionUpkeep(
            SessionRegistry sessions,
            WebSocketProperties properties,
            @SessionTimer ScheduledExecutorService timer,
            Clock clock,
            TokenRevocations revocations) {
        this.revocations = revocations;
        this.sessions = sessions;
        this.properties = properties;
        this.timer = timer;
        this.clock = clock;
    }

    @Override
    public void start() {
        sweep = timer.scheduleWithFixedDelay(this::tickSafely, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (sweep != null) {
            sweep.cancel(false);
        }
    }

    @Override
    public boolean isRunning() {
        return sweep != null && !sweep.isCancelled();
    }

    @Override
    public int getPhase() {
        return LifecyclePhases.ROOMS;
    }

    private void tickSafely() {
        try {
            tick(System.nanoTime(), clock.instant());
        } catch (RuntimeException ex) {
            log.warn("Session upkeep failed", ex);
        }
    }

    /** A whole sweep at once: every tick of it in a row. */
    void sweep(long nowNanos, Instant now) {
        do {
            tick(nowNanos, now);
        } while (ticks != 0);
    }

    /** The next share of the current sweep; the first tick of a sweep takes the sessions it will check. */
    void tick(long nowNanos, Instant now) {
        if (ticks == 0) {
            sweeping = sessions.all().toArray(CollabSession[]::new);
        }
        int from = ticks * sweeping.length / TICKS_PER_SWEEP;
        int to = (ticks + 1) * sweeping.length / TICKS_PER_SWEEP;
        int slots = pingSlots(properties.heartbeatInterval());
        int pingSlot = (int) (sweeps % slots);
        long silentLimit = properties
                .heartbeatInterval()
                .plus(properties.heartbeatTimeout())
                .toNanos();
        long partialDeadline = nowNanos - properties.partialMessageTimeout().toNanos();
        // counted before the checks: a check that throws must not make the next tick repeat this one
        if (++ticks == TICKS_PER_SWEEP) {
            ticks = 0;
            sweeps++;
        }
        for (int i = from; i < to; i++) {
            CollabSession session = sweeping[i];
            if (sessions.get(session.id()) != session) {
                continue; // closed since the sweep began
            }
            if (session.tokenExpired(now)) {
                session.close(CloseCodes.TOKEN_INVALID);
            } else if (revocations.isRevoked(session.user())) {
                // an instance that learned of a revocation late (Redis was away) closes the sessions it missed
                session.close(CloseCodes.REVOKED);
            } else if (session.partial().unfinishedSince(partialDeadline)) {
                // pongs keep a session alive, but must not keep its half-sent message in memory forever
                log.debug("Session {} did not finish a fragmented message in time", session.id());
                session.close(CloseCodes.MESSAGE_INCOMPLETE);
            } else if (session.sendStalled(nowNanos, properties.sendTimeLimit().toNanos())) {
                log.debug("Session {} stopped reading", session.id());
                session.abandon(CloseCodes.SLOW_CONSUMER);
            } else if (nowNanos - session.lastSignOfLifeNanos() > silentLimit) {
                log.debug("Session {} stopped answering pings", session.id());
                session.abandon(CloseCodes.GOING_AWAY);
            } else if (Math.floorMod(session.id().hashCode(), slots) == pingSlot) {
                session.ping();
            }
        }
    }

    /** Whole sweeps per heartbeat interval, at least one: each session is pinged in one of them. */
    static int pingSlots(Duration heartbeatInterval) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, heartbeatInterval.toMillis() / SWEEP_MILLIS));
    }
}
