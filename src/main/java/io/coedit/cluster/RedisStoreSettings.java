package io.coedit.cluster;

import io.coedit.document.DocumentProperties;
import io.coedit.document.LogLimits;

/**
 * What the Redis store needs from {@code coedit.cluster.*} and {@code coedit.documents.*}.
 *
 * @param compactEvery the snapshot interval, capped at {@code retainedOps}: the ops after the snapshot must all
 *                     still be in the log, or nobody could rebuild the head
 */
record RedisStoreSettings(
        String keyPrefix,
        LogLimits limits,
        int compactEvery,
        int cachedDocuments,
        long cachedBytes,
        InstanceId instanceId) {

    static RedisStoreSettings of(ClusterProperties cluster, DocumentProperties documents, InstanceId instanceId) {
        return new RedisStoreSettings(
                cluster.keyPrefix(),
                LogLimits.of(documents),
                Math.min(cluster.snapshotEvery(), documents.retainedOps()),
                cluster.cachedDocuments(),
                cluster.cachedBytes().toBytes(),
                instanceId);
    }

    int retainedOps() {
        return limits.retainedOps();
    }
}
