package io.coedit.cluster;

import io.coedit.document.DocumentProperties;

/**
 * What the Redis store needs from {@code coedit.cluster.*} and {@code coedit.documents.*}.
 *
 * @param compactEvery the snapshot interval, capped at {@code retainedOps}: the ops after the snapshot must all
 *                     still be in the log, or nobody could rebuild the head
 */
record RedisStoreSettings(String keyPrefix, int retainedOps, int compactEvery, int cachedDocuments,
        InstanceId instanceId) {

    static RedisStoreSettings of(ClusterProperties cluster, DocumentProperties documents, InstanceId instanceId) {
        return new RedisStoreSettings(cluster.keyPrefix(), documents.retainedOps(),
                Math.min(cluster.snapshotEvery(), documents.retainedOps()), cluster.cachedDocuments(), instanceId);
    }
}
