package io.coedit.cluster;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How instances share documents ({@code coedit.cluster.*}).
 *
 * @param mode memory: one instance, everything in this JVM; redis: instances share documents through Redis
 * @param keyPrefix prefix of every Redis key and channel; braces are refused because they would break the
 *                  per-document hash tag
 * @param snapshotEvery the Redis store rewrites a document's snapshot every this many operations (never less
 *                      often than {@code coedit.documents.retained-ops}, so the log always reaches the snapshot)
 * @param instanceId this process's id in published messages ({@code origin}); blank: a random UUID per process
 * @param cachedDocuments how many documents' head content the Redis store keeps in this JVM (0: none)
 * @param cachedBytes the byte budget of that cache (content at two bytes per UTF-16 code unit); the least recently
 *                    used documents leave first once either bound is reached
 */
@Validated
@ConfigurationProperties("coedit.cluster")
public record ClusterProperties(
        @DefaultValue("memory") @NotNull Mode mode,
        @DefaultValue("coedit:") @NotNull @Pattern(regexp = "[^{}\\s]*") String keyPrefix,
        @DefaultValue("100") @Min(1) @Max(1_000_000) int snapshotEvery,
        @DefaultValue("") @NotNull @Pattern(regexp = "\\S{0,128}") String instanceId,
        @DefaultValue("1000") @Min(0) @Max(1_000_000) int cachedDocuments,
        @DefaultValue("256MB") @NotNull DataSize cachedBytes) {

    /** Where documents live. */
    public enum Mode {
        MEMORY, REDIS
    }
}
