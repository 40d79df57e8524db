package io.coedit.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

import org.springframework.stereotype.Service;

import io.coedit.error.ErrorCode;

/**
 * Checks a push, serializes its frame once, and publishes it, delivering a retried push with the same
 * {@code Idempotency-Key} and target once.
 */
@Service
public class EventPublisher {

    /** The characters of an event name, 1 to 64 of them. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    /** An idempotency key: 1 to 255 visible ASCII characters (no spaces). */
    static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

    /** What a push answers: the event's id, and whether an earlier push with the same key had produced it. */
    public record Accepted(String id, boolean replayed) {}

    private record EventFrame(String type, String id, String name, JsonNode data, String time) {}

    private final EventBus bus;
    private final IdempotencyKeys keys;
    private final EventsProperties properties;
    private final JsonMapper mapper;
    private final Clock clock;
    private final MeterRegistry registry;

    EventPublisher(
            EventBus bus,
            IdempotencyKeys keys,
            EventsProperties properties,
            JsonMapper mapper,
            Clock clock,
            MeterRegistry registry) {
        this.registry = registry;
        this.bus = bus;
        this.keys = keys;
        this.properties = properties;
        this.mapper = mapper;
        this.clock = clock;
    }

    /**
     * @param body the request body, read up to one byte past {@code max-body-size}
     * @param idempotencyKey the header's value, or {@code null}
     */
    public Accepted publish(EventTarget target, byte[] body, String idempotencyKey) {
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw new EventRejectedException(
                    ErrorCode.INVALID_IDEMPOTENCY_KEY,
                    "Idempotency-Key must be 1 to 255 visible ASCII characters without spaces");
        }
        if (body.length > properties.maxBodySize().toBytes()) {
            throw new EventRejectedException(
                    ErrorCode.PAYLOAD_TOO_LARGE,
                    "The request body is larger than "
                            + properties.maxBodySize().toBytes() + " bytes");
        }
        JsonNode request = parse(body);
        String name = request.path("name").isString() ? request.path("name").asString() : null;
        if (name == null || !NAME.matcher(name).matches()) {
            throw new EventRejectedException(
                    ErrorCode.INVALID_NAME, "name must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_', ':' and '-'");
        }
        JsonNode data = request.has("data") ? request.get("data") : NullNode.getInstance();
        byte[] dataJson = mapper.writeValueAsBytes(data);
        if (dataJson.length > properties.maxDataSize().toBytes()) {
            throw new EventRejectedException(
                    ErrorCode.PAYLOAD_TOO_LARGE,
                    "data is " + dataJson.length + " bytes as JSON; at most "
                            + properties.maxDataSize().toBytes());
        }
        String id = UUID.randomUUID().toString();
        String frame = mapper.writeValueAsString(
                new EventFrame("event", id, name, data, clock.instant().toString()));
        if (idempotencyKey == null) {
            bus.publish(target, frame);
            published(target);
            return new Accepted(id, false);
        }
        String key = target.key() + " " + idempotencyKey;
        IdempotencyKeys.Claim claim = new IdempotencyKeys.Claim(id, fingerprint(name, dataJson));
        Optional<IdempotencyKeys.Claim> earlier = keys.claim(key, claim, properties.idempotencyWindow());
        if (earlier.isPresent()) {
            if (!earlier.get().fingerprint().equals(claim.fingerprint())) {
                throw new EventRejectedException(
                        ErrorCode.IDEMPOTENCY_KEY_REUSED,
                        "This Idempotency-Key was used for a different event to the same target");
            }
            return new Accepted(earlier.get().eventId(), true);
        }
        try {
            bus.publish(target, frame);
        } catch (RuntimeException ex) {
            keys.release(key, claim);
            throw ex;
        }
        published(target);
        return new Accepted(id, false);
    }

    private void published(EventTarget target) {
        String kind = target instanceof EventTarget.Document
                ? "document"
                : target instanceof EventTarget.User ? "user" : "everyone";
        registry.counter("coedit.events.published", "target", kind).increment();
    }

    private JsonNode parse(byte[] body) {
        JsonNode request;
        try {
            request = mapper.readTree(body);
        } catch (JacksonException ex) {
            throw new EventRejectedException(
                    ErrorCode.INVALID_JSON, "The body is not valid JSON: " + ex.getOriginalMessage());
        }
        if (request == null || !request.isObject()) {
            throw new EventRejectedException(
                    ErrorCode.INVALID_JSON, "The body must be a JSON object: {\"name\":\"…\",\"data\":…}");
        }
        return request;
    }

    private static String fingerprint(String name, byte[] dataJson) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
            sha.update(dataJson);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is part of every JVM", ex);
        }
    }
}
