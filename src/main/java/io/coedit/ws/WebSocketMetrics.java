package io.coedit.ws;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

import io.coedit.error.ErrorCode;

/**
 * What operators watch: open sessions and rooms, accepted ops and the time from submit to ack, rejections by their
 * wire code, sessions closed by close code, and rooms that had to recover from the log. No document or
 * user id is ever a label.
 */
@Component
class WebSocketMetrics {

    private final MeterRegistry registry;
    private final Counter accepted;
    private final Timer submitToAck;

    WebSocketMetrics(MeterRegistry registry, SessionRegistry sessions, RoomRegistry rooms) {
        this.registry = registry;
        Gauge.builder("coedit.sessions", sessions, SessionRegistry::size)
                .description("Open WebSocket sessions on this instance")
                .register(registry);
        Gauge.builder("coedit.rooms", rooms, RoomRegistry::roomCount)
                .description("Documents with sessions on this instance")
                .register(registry);
        Gauge.builder("coedit.rooms.heals", rooms, RoomRegistry::heals)
                .description("Times a room read missing ops from the log (a gap, a lost relay message)")
                .register(registry);
        Gauge.builder("coedit.rooms.resets", rooms, RoomRegistry::resets)
                .description("Times a room was too far behind and started over from a snapshot")
                .register(registry);
        this.accepted = Counter.builder("coedit.ops.accepted")
                .description("Operations stored")
                .register(registry);
        this.submitToAck = Timer.builder("coedit.submit.latency")
                .description("From a submit's arrival to its commit (the ack leaves right after)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
    }

    void opAccepted(long receivedNanos) {
        accepted.increment();
        submitToAck.record(System.nanoTime() - receivedNanos, TimeUnit.NANOSECONDS);
    }

    void rejected(ErrorCode code) {
        registry.counter("coedit.messages.rejected", "code", code.value()).increment();
    }

    /**
     * A closed session, by close code (4500 slow consumer, 4429 rate limited, 4403 revoked or forbidden, 1001 going
     * away, ...); the reason text is not a label (a client chooses its own).
     */
    void closed(int code) {
        registry.counter("coedit.sessions.closed", "code", Integer.toString(code))
                .increment();
    }
}
