package io.coedit.cluster;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import lombok.extern.slf4j.Slf4j;

import org.springframework.context.SmartLifecycle;

import io.coedit.system.LifecyclePhases;

/** The periodic work of a cluster member: probe the relay, refresh this instance's presence, sweep ghosts. */
@Slf4j
class ClusterUpkeep implements SmartLifecycle {

    private final RedisDocumentRelay relay;
    private final RedisMembers members;
    private final SubscriptionProbe probe;
    private final ScheduledExecutorService timer;
    private final Duration probeInterval;
    private final Duration presenceRefresh;
    private ScheduledFuture<?> probing;
    private ScheduledFuture<?> presence;

    ClusterUpkeep(
            RedisDocumentRelay relay,
            RedisMembers members,
            SubscriptionProbe probe,
            ScheduledExecutorService timer,
            Duration probeInterval,
            Duration presenceRefresh) {
        this.probeInterval = probeInterval;
        this.presenceRefresh = presenceRefresh;
        this.relay = relay;
        this.members = members;
        this.probe = probe;
        this.timer = timer;
    }

    @Override
    public void start() {
        probe.begin();
        long probeMillis = probeInterval.toMillis();
        long refreshMillis = presenceRefresh.toMillis();
        probing = timer.scheduleWithFixedDelay(
                () -> safely(probe::check), probeMillis, probeMillis, TimeUnit.MILLISECONDS);
        presence = timer.scheduleWithFixedDelay(
                () -> safely(this::refreshAndSweep), 0, refreshMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (probing != null) {
            probing.cancel(false);
            presence.cancel(false);
        }
        safely(() -> members.removeAll(relay.documents()));
    }

    /** Stops after the sessions closed (SessionRegistry), so their presence is removed once they are all gone. */
    @Override
    public int getPhase() {
        return LifecyclePhases.CLUSTER;
    }

    @Override
    public boolean isRunning() {
        return probing != null && !probing.isCancelled();
    }

    private void refreshAndSweep() {
        members.refresh();
        members.sweep(relay.documents()).forEach((id, gone) -> gone.forEach(leave -> relay.announceGone(id, leave)));
    }

    private static void safely(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException ex) {
            log.debug("Cluster upkeep failed this round: {}", ex.toString());
        }
    }
}
