package io.coedit.cluster;

import java.time.Duration;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How instances share documents through Redis ({@code coedit.cluster.*}; the mode itself is read by
 * {@link io.coedit.system.ClusterMode}).
 *
 * @param keyPrefix prefix of every Redis key and channel; braces are refused because they would break the
 *                  per-document hash tag
 * @param snapshotEvery the Redis store rewrites a document's snapshot every this many operations (never less
 *                      often than {@code coedit.documents.retained-ops}, so the log always reaches the snapshot)
 * @param instanceId this process's id in published messages ({@code origin}); blank: a random UUID per process
 * @param cachedDocuments how many documents' head content the Redis store keeps in this JVM (0: none)
 * @param cachedBytes the byte budget of that cache (content at two bytes per UTF-16 code unit); the documents
 *                    least recently stored (committed, relayed or read from Redis) leave first once either bound is
 *                    reached
 * @param probeInterval how often the relay publishes a probe to itself; pub/sub silent for three of these (Redis
 *                      away or the subscription lost) makes the instance unready and resubscribe
 * @param presenceRefresh how often an instance beats (the liveness of all of its members) and writes the cursors
 *                        that moved into the documents' member lists
 * @param presenceTtl an instance that has not beaten for this long is dead: its members are removed (and their
 *                    leave announced); at least twice {@code presence-refresh}
 * @param revocationReload how often an instance reads every revocation again, so one it missed (Redis was away, or
 *                         it started later) is applied within this
 */
@Validated
@ConfigurationProperties("coedit.cluster")
public record ClusterProperties(
        @DefaultValue("coedit:") @NotNull @Pattern(regexp = "[^{}\\s]*")
        String keyPrefix,

        @DefaultValue("100") @Min(1) @Max(1_000_000) int snapshotEvery,

        @DefaultValue("") @NotNull @Pattern(regexp = "\\S{0,128}")
        String instanceId,

        @DefaultValue("1000") @Min(0) @Max(1_000_000) int cachedDocuments,
        @DefaultValue("256MB") @NotNull DataSize cachedBytes,
        @DefaultValue("2s") @NotNull Duration probeInterval,
        @DefaultValue("5s") @NotNull Duration presenceRefresh,
        @DefaultValue("15s") @NotNull Duration presenceTtl,
        @DefaultValue("10s") @NotNull Duration revocationReload) {

    @AssertTrue(message = "presence-ttl must be at least twice presence-refresh, or live members would be swept")
    boolean isPresenceTtlAboveRefresh() {
        return presenceTtl == null
                || presenceRefresh == null
                || presenceTtl.compareTo(presenceRefresh.multipliedBy(2)) >= 0;
    }
}
