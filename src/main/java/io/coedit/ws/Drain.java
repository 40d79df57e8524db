package io.coedit.ws;

import lombok.extern.slf4j.Slf4j;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.stereotype.Component;

import io.coedit.document.SubmitQueue;

/**
 * The first steps of a shutdown (SIGTERM), before any component stops: readiness goes DOWN, new WebSocket upgrades
 * are answered 503 (a load balancer retries them on another instance), and the submits already queued are stored
 * and acked while new ones are refused as {@code unavailable} (their clients send them again elsewhere). Then the
 * lifecycle goes on: sessions are closed with 1001 ({@link SessionRegistry}), this instance's presence entries
 * are removed, and the process exits.
 */
@Slf4j
@Component
class Drain implements ApplicationListener<ContextClosedEvent> {

    private final SubmitQueue submits;
    private final WebSocketProperties properties;
    private final SessionRegistry sessions;
    private volatile boolean draining;

    Drain(SubmitQueue submits, WebSocketProperties properties, SessionRegistry sessions) {
        this.submits = submits;
        this.properties = properties;
        this.sessions = sessions;
    }

    /** True once the shutdown began: no new session may start here. */
    boolean draining() {
        return draining;
    }

    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        ApplicationContext context = event.getApplicationContext();
        if (draining || context.getParent() != null) {
            return;
        }
        draining = true;
        AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
        log.info("Draining: readiness is DOWN, new sessions are refused; {} sessions open", sessions.size());
        try {
            Thread.sleep(properties.drainDelay().toMillis());
            if (!submits.refuseNewAndFinish(properties.drainTimeout())) {
                log.warn(
                        "Draining: submits still queued after {}; their clients will send them again",
                        properties.drainTimeout());
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        log.info("Draining: queued submits done; closing {} sessions (1001)", sessions.size());
    }
}
