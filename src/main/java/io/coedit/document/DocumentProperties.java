package io.coedit.document;

import java.time.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Document limits ({@code coedit.documents.*}); every one is documented in README's configuration table and in
 * {@code docs/security.md}.
 *
 * @param maxLength largest document, in UTF-16 code units (characters as JavaScript counts them)
 * @param retainedOps how many recent operations the op log keeps; older base revisions get {@code resync_required}
 * @param retainedBytes the op log's byte budget per document (entries as stored), whichever of the two is reached
 *                      first trims it
 * @param maxOpComponents most components one operation may have ({@code too_large} beyond), checked before any
 *                        work that grows with them
 * @param opIdWindow how long an accepted op's (author, id) is remembered, independent of the op log, so that a
 *                   resubmission after a lost ack is recognised even once the op itself left the log
 * @param opIdMax most (author, id) entries remembered per document; the oldest go first beyond it
 * @param submitQueueOps most submits waiting for one document on one instance ({@code unavailable} beyond)
 * @param submitQueueBytes the byte budget of those waiting submits
 * @param submitThreads threads that carry out submits; each document uses at most one of them at a time
 */
@Validated
@ConfigurationProperties("coedit.documents")
public record DocumentProperties(
        @DefaultValue("2000000") @Min(1) int maxLength,
        @DefaultValue("1000") @Min(1) @Max(1_000_000) int retainedOps,
        @DefaultValue("16MB") @NotNull DataSize retainedBytes,
        @DefaultValue("10000") @Min(1) int maxOpComponents,
        @DefaultValue("24h") @NotNull Duration opIdWindow,
        @DefaultValue("100000") @Min(1) int opIdMax,
        @DefaultValue("256") @Min(1) int submitQueueOps,
        @DefaultValue("8MB") @NotNull DataSize submitQueueBytes,
        @DefaultValue("16") @Min(1) @Max(1024) int submitThreads) {

    @ConstructorBinding
    public DocumentProperties {}

    /** Defaults for everything but the two limits most tests are about. */
    public DocumentProperties(int maxLength, int retainedOps) {
        this(
                maxLength,
                retainedOps,
                DataSize.ofMegabytes(16),
                10_000,
                Duration.ofHours(24),
                100_000,
                256,
                DataSize.ofMegabytes(8),
                16);
    }
}
