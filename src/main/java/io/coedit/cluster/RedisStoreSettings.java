package io.coedit.cluster;

import java.time.Duration;

import io.coedit.document.DocumentProperties;
import io.coedit.document.LogLimits;

/**
 * What the Redis store needs from {@code coedit.cluster.*} and {@code coedit.documents.*}.
 *
 * @param compactEvery the snapshot interval, capped at {@code retainedOps}: the ops after the snapshot must all
 *                     still be in the log, or nobody could rebuild the head
 * @param commitClaim how long an instance whose commit lost a race for a document commits next ({@code commit.lua})
 */
record RedisStoreSettings(
        String keyPrefix,
        LogLimits limits,
        int compactEvery,
        int cachedDocuments,
        long cachedBytes,
        InstanceId instanceId,
        Duration commitClaim) {

    /**
     * How long the claim of an instance whose commit lost a race lasts: the others' commits to the document are held
     * until its retry commits, or for this long if it never does (it stopped, or its ops no longer place). A retry
     * takes a round trip and a placement: a few milliseconds, but tens on an instance short of CPU, which is the one
     * that keeps losing (50 ms lapsed under it).
     */
    static final Duration COMMIT_CLAIM = Duration.ofMillis(200);

    static RedisStoreSettings of(ClusterProperties cluster, DocumentProperties documents, InstanceId instanceId) {
        return new RedisStoreSettings(
                cluster.keyPrefix(),
                LogLimits.of(documents),
                Math.min(cluster.snapshotEvery(), documents.retainedOps()),
                cluster.cachedDocuments(),
                cluster.cachedBytes().toBytes(),
                instanceId,
                COMMIT_CLAIM);
    }

    int retainedOps() {
        return limits.retainedOps();
    }
}
