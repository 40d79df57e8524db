package io.coedit.cluster;

import io.coedit.document.DocumentId;

/**
 * Pub/sub channels and presence keys of the relay. They share the document's hash tag with the store's keys
 * ({@link RedisKeys}), so one document lives in one Redis Cluster slot.
 */
final class RelayChannels {

    private final String prefix;

    RelayChannels(String prefix) {
        this.prefix = prefix;
    }

    /** Where the store's commit script publishes committed ops. */
    String opsChannel(DocumentId id) {
        return RedisKeys.of(prefix, id).channel();
    }

    String presenceChannel(DocumentId id) {
        return prefix + "doc:{" + id.value() + "}:presence";
    }

    String members(DocumentId id) {
        return prefix + "doc:{" + id.value() + "}:members";
    }

    String probeChannel(String instanceId) {
        return prefix + "instance:" + instanceId + ":probe";
    }
}
