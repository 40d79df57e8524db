package io.coedit.cluster;

import java.util.List;

import io.coedit.document.DocumentId;

/**
 * One document's Redis keys and channel. The id sits in braces (a hash tag) so that all of a document's keys
 * land in one Redis Cluster slot, which a multi-key Lua script requires. Document ids cannot contain braces.
 *
 * @param meta hash: {@code epoch}, {@code rev} (head revision), {@code snapRev} (revision of {@code snap})
 * @param snap string: the content at {@code snapRev}, as a JSON string literal
 * @param log stream: one entry per revision, entry id {@code <rev>-0}, fields {@code e} (entry JSON) and
 *            {@code c} (client op id as a JSON string literal), the newest {@code retained-ops} kept
 * @param ids hash: op key (author and client op id, a JSON string literal) to revision, kept for
 *            {@code coedit.documents.op-id-window} and at most {@code op-id-max} keys, independent of the log
 * @param idq sorted set: op keys scored by revision, the index's order before {@code idl}; a document written by
 *            an earlier version may still have one, which commits drain
 * @param idl list: {@code <rev>:<commit ms>:<op key>} for each key in {@code ids}, in revision order, oldest first out
 * @param claim string, expiring: the id of the instance whose commit lost the last race for the document, which
 *            commits next (the others' commits are held meanwhile)
 * @param channel pub/sub channel on which every committed operation is published
 */
record RedisKeys(
        String meta, String snap, String log, String ids, String idq, String idl, String claim, String channel) {

    static RedisKeys of(String prefix, DocumentId id) {
        String base = prefix + "doc:{" + id.value() + "}:";
        return new RedisKeys(
                base + "meta",
                base + "snap",
                base + "log",
                base + "ids",
                base + "idq",
                base + "idl",
                base + "claim",
                base + "ops");
    }

    /** Every key of the document's history, in the order {@code load.lua} takes them. */
    List<String> history() {
        return List.of(meta, snap, log, ids, idq, idl);
    }

    /** The history's keys and the claim on the next commit, in the order {@code commit.lua} takes them. */
    List<String> commit() {
        return List.of(meta, snap, log, ids, idq, idl, claim);
    }

    /** The epoch every document starts in, until Redis loses it (then every new document starts in a new one). */
    static String genesis(String prefix) {
        return prefix + "genesis";
    }

    /** The pattern matching every document's channel, for a {@code PSUBSCRIBE}. */
    static String channelPattern(String prefix) {
        return prefix + "doc:{*}:ops";
    }
}
