package io.coedit.events;

import java.time.Duration;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Server event settings ({@code coedit.events.*}).
 *
 * @param idempotencyWindow how long an {@code Idempotency-Key} keeps answering with its first event
 * @param idempotencyMaxKeys single instance: most keys remembered (the oldest go first beyond it)
 * @param idempotencyMaxBytes single instance: most memory the remembered keys take
 * @param maxDataSize largest {@code data} of an event, serialized as compact JSON (413 beyond)
 * @param maxBodySize largest request body of a push (413 beyond, before it is parsed)
 */
@Validated
@ConfigurationProperties("coedit.events")
public record EventsProperties(
        @DefaultValue("24h") @NotNull Duration idempotencyWindow,
        @DefaultValue("100000") @Min(1) int idempotencyMaxKeys,
        @DefaultValue("64MB") @NotNull DataSize idempotencyMaxBytes,
        @DefaultValue("64KB") @NotNull DataSize maxDataSize,
        @DefaultValue("256KB") @NotNull DataSize maxBodySize) {}
