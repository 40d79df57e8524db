package io.coedit.document;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Document limits ({@code coedit.documents.*}).
 *
 * @param maxLength largest document, in UTF-16 code units (characters as JavaScript counts them)
 * @param retainedOps how many recent operations the op log keeps; older base revisions get {@code resync_required}
 * @param lockStripes how many locks serialize submits; one document always maps to the same lock
 */
@Validated
@ConfigurationProperties("coedit.documents")
public record DocumentProperties(
        @DefaultValue("2000000") @Min(1) int maxLength,
        @DefaultValue("1000") @Min(1) @Max(1_000_000) int retainedOps,
        @DefaultValue("256") @Min(1) @Max(65_536) int lockStripes) {
}
