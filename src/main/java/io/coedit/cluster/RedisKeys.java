package io.coedit.cluster;

import io.coedit.document.DocumentId;

/**
 * One document's Redis keys and channel. The id sits in braces (a hash tag) so that all of a document's keys
 * land in one Redis Cluster slot, which a multi-key Lua script requires. Document ids cannot contain braces.
 *
 * @param meta hash: {@code epoch}, {@code rev} (head revision), {@code snapRev} (revision of {@code snap})
 * @param snap string: the content at {@code snapRev}, as a JSON string literal
 * @param log stream: one entry per revision, entry id {@code <rev>-0}, fields {@code e} (entry JSON) and
 *            {@code c} (client op id as a JSON string literal), the newest {@code retained-ops} kept
 * @param ids hash: client op id (JSON string literal) to revision, for the entries still in {@code log}
 * @param channel pub/sub channel on which every committed operation is published
 */
record RedisKeys(String meta, String snap, String log, String ids, String channel) {

    static RedisKeys of(String prefix, DocumentId id) {
        String base = prefix + "doc:{" + id.value() + "}:";
        return new RedisKeys(base + "meta", base + "snap", base + "log", base + "ids", base + "ops");
    }

    /** The pattern matching every document's channel, for a {@code PSUBSCRIBE}. */
    static String channelPattern(String prefix) {
        return prefix + "doc:{*}:ops";
    }
}
