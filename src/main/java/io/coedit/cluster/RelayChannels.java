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

    /** Sorted set: each live instance's presence origin, scored by its last heartbeat (ms since the epoch). */
    String instances() {
        return prefix + "instances";
    }

    /** Events for every connected session. */
    String everyoneEvents() {
        return prefix + "events";
    }

    String documentEvents(DocumentId id) {
        return prefix + "doc:{" + id.value() + "}:events";
    }

    String userEvents(String userId) {
        return prefix + "user:{" + userId + "}:events";
    }

    /** Where revocations are announced to every instance. */
    String revocationsChannel() {
        return prefix + "revocations";
    }

    /** Hash: user id to the user's revocation ({@code <cutoff ms> <keep-until ms>}). */
    String revokedUsers() {
        return prefix + "revoked-users";
    }

    /** String: the event an idempotency key produced, expiring with the window. */
    String idempotencyKey(String scopedKey) {
        return prefix + "events:idempotency:" + scopedKey;
    }

    String probeChannel(String instanceId) {
        return prefix + "instance:" + instanceId + ":probe";
    }
}
