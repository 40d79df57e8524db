package io.coedit.events;

import java.io.IOException;
import java.io.InputStream;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import io.coedit.document.DocumentId;

/**
 * Pushing server events ({@code events:publish}, checked by the security chain): to a document's sessions, to a
 * user's, or to everyone's. The answer is 202: the event was handed to the transport; delivery is at most once.
 */
@RestController
class EventController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";

    /** The body of a push. */
    record EventRequest(
            @Schema(description = "1-64 characters of A-Z a-z 0-9 . _ : -", example = "build.finished")
            String name,

            @Schema(description = "any JSON, at most 64 KiB once serialized")
            JsonNode data) {}

    /** The answer to a push. */
    record EventAccepted(String id) {}

    private final EventPublisher publisher;
    private final EventsProperties properties;

    EventController(EventPublisher publisher, EventsProperties properties) {
        this.publisher = publisher;
        this.properties = properties;
    }

    @Operation(
            summary = "Push an event to every session of one document, on every instance",
            requestBody =
                    @RequestBody(
                            required = true,
                            content = @Content(schema = @Schema(implementation = EventRequest.class))))
    @PostMapping(path = "/api/documents/{id}/events", consumes = MediaType.ALL_VALUE)
    ResponseEntity<EventAccepted> toDocument(
            @PathVariable String id,
            InputStream body,
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey)
            throws IOException {
        return push(new EventTarget.Document(new DocumentId(id)), body, idempotencyKey);
    }

    @Operation(
            summary = "Push an event to every session of one user (the token's sub), on every instance",
            requestBody =
                    @RequestBody(
                            required = true,
                            content = @Content(schema = @Schema(implementation = EventRequest.class))))
    @PostMapping(path = "/api/users/{userId}/events", consumes = MediaType.ALL_VALUE)
    ResponseEntity<EventAccepted> toUser(
            @PathVariable String userId,
            InputStream body,
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey)
            throws IOException {
        return push(new EventTarget.User(UserIds.checked(userId)), body, idempotencyKey);
    }

    @Operation(
            summary = "Push an event to every connected session",
            requestBody =
                    @RequestBody(
                            required = true,
                            content = @Content(schema = @Schema(implementation = EventRequest.class))))
    @PostMapping(path = "/api/events", consumes = MediaType.ALL_VALUE)
    ResponseEntity<EventAccepted> toEveryone(
            InputStream body, @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey)
            throws IOException {
        return push(EventTarget.EVERYONE, body, idempotencyKey);
    }

    private ResponseEntity<EventAccepted> push(EventTarget target, InputStream body, String idempotencyKey)
            throws IOException {
        // read one byte past the limit, never the whole of an oversized body
        byte[] bytes = body.readNBytes(
                (int) Math.min(Integer.MAX_VALUE - 8, properties.maxBodySize().toBytes() + 1));
        EventPublisher.Accepted accepted = publisher.publish(target, bytes, idempotencyKey);
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(HttpStatus.ACCEPTED);
        if (accepted.replayed()) {
            answer.header(REPLAYED, "true");
        }
        return answer.body(new EventAccepted(accepted.id()));
    }
}
