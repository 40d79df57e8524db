package io.coedit.events;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.unit.DataSize;

import io.coedit.document.DocumentId;
import io.coedit.error.ErrorCode;
import io.coedit.security.TokenRevocations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventPublisherTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final EventTarget DOC = new EventTarget.Document(new DocumentId("doc"));

    private final List<String> published = new ArrayList<>();
    private boolean transportDown;
    private final EventBus bus = new EventBus() {
        @Override
        public void publish(EventTarget target, String frame) {
            if (transportDown) {
                throw new EventsUnavailableException("down", null);
            }
            published.add(frame);
        }

        @Override
        public void revoke(String userId, TokenRevocations.Revocation revocation) {}

        @Override
        public Registration listen(EventTarget target, EventListener listener) {
            return () -> {};
        }
    };
    private final EventsProperties properties = new EventsProperties(
            Duration.ofHours(24), 100, DataSize.ofMegabytes(1), DataSize.ofKilobytes(64), DataSize.ofKilobytes(256));
    private final EventPublisher publisher = new EventPublisher(
            bus,
            new LocalIdempotencyKeys(100, 1 << 20, System::nanoTime),
            properties,
            JSON,
            Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC),
            new SimpleMeterRegistry());

    private EventPublisher.Accepted publish(String body, String key) {
        return publisher.publish(DOC, body.getBytes(StandardCharsets.UTF_8), key);
    }

    @Test
    void theFrameCarriesTheIdNameDataAndTimeOfThePush() {
        EventPublisher.Accepted accepted =
                publish("{\"name\":\"build.finished\",\"data\":{\"ok\":true,\"n\":[1]}}", null);
        JsonNode frame = JSON.readTree(published.get(0));
        assertThat(frame.get("type").asString()).isEqualTo("event");
        assertThat(frame.get("id").asString()).isEqualTo(accepted.id());
        assertThat(frame.get("name").asString()).isEqualTo("build.finished");
        assertThat(frame.get("data").toString()).isEqualTo("{\"ok\":true,\"n\":[1]}");
        assertThat(frame.get("time").asString()).isEqualTo("2026-12-02T10:00:00Z");
    }

    @Test
    void eventWithoutDataCarriesNull() {
        publish("{\"name\":\"ping\"}", null);
        assertThat(JSON.readTree(published.get(0)).get("data").isNull()).isTrue();
    }

    @Test
    void dataOfExactlyTheLimitPassesAndOneByteMoreIsRefused() {
        String atLimit = "\"" + "a".repeat(64 * 1024 - 2) + "\"";
        publish("{\"name\":\"n\",\"data\":" + atLimit + "}", null);
        assertThatThrownBy(() -> publish("{\"name\":\"n\",\"data\":\"" + "a".repeat(64 * 1024 - 1) + "\"}", null))
                .isInstanceOfSatisfying(
                        EventRejectedException.class,
                        ex -> assertThat(ex.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE));
        assertThat(published).hasSize(1);
    }

    @Test
    void retriesWithOneKeyPublishOnceAndAnotherRequestUnderTheKeyIsRefused() {
        EventPublisher.Accepted first = publish("{\"name\":\"n\",\"data\":1}", "key");
        EventPublisher.Accepted retry = publish("{ \"data\" : 1, \"name\" : \"n\" }", "key");
        assertThat(retry).isEqualTo(new EventPublisher.Accepted(first.id(), true));
        assertThat(published).hasSize(1);
        assertThatThrownBy(() -> publish("{\"name\":\"n\",\"data\":2}", "key"))
                .isInstanceOfSatisfying(
                        EventRejectedException.class,
                        ex -> assertThat(ex.code()).isEqualTo(ErrorCode.IDEMPOTENCY_KEY_REUSED));
    }

    @Test
    void aPushTheTransportRefusedCanBeRetriedWithItsKey() {
        transportDown = true;
        assertThatThrownBy(() -> publish("{\"name\":\"n\"}", "key")).isInstanceOf(EventsUnavailableException.class);
        transportDown = false;
        EventPublisher.Accepted retry = publish("{\"name\":\"n\"}", "key");
        assertThat(retry.replayed()).isFalse();
        assertThat(published).hasSize(1);
    }

    @Test
    void namesOutsideTheDocumentedSetAreRefused() {
        for (String name : List.of("\"\"", "\"" + "n".repeat(65) + "\"", "\"a b\"", "\"é\"", "\"a/b\"", "1", "null")) {
            assertThatThrownBy(() -> publish("{\"name\":" + name + "}", null))
                    .as(name)
                    .isInstanceOfSatisfying(
                            EventRejectedException.class,
                            ex -> assertThat(ex.code()).isEqualTo(ErrorCode.INVALID_NAME));
        }
        publish("{\"name\":\"Aa0._:-\"}", null);
        assertThat(published).hasSize(1);
    }
}
