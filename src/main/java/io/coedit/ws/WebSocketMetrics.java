package io.coedit.ws;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/** What operators watch: open sessions and rooms, accepted ops, and rejections by their wire code. */
@Component
class WebSocketMetrics {

    private final MeterRegistry registry;
    private final Counter accepted;

    WebSocketMetrics(MeterRegistry registry, SessionRegistry sessions, RoomRegistry rooms) {
        this.registry = registry;
        Gauge.builder("coedit.sessions", sessions, SessionRegistry::size)
                .description("Open WebSocket sessions on this instance").register(registry);
        Gauge.builder("coedit.rooms", rooms, RoomRegistry::roomCount)
                .description("Documents with sessions on this instance").register(registry);
        this.accepted = Counter.builder("coedit.ops.accepted").description("Operations stored").register(registry);
    }

    void opAccepted() {
        accepted.increment();
    }

    void rejected(ErrorCode code) {
        registry.counter("coedit.messages.rejected", "code", code.wireValue()).increment();
    }
}
