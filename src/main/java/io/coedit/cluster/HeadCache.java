package io.coedit.cluster;

import java.util.LinkedHashMap;
import java.util.Map;

import io.coedit.document.DocumentId;

/**
 * The last head content this instance saw per document, least recently used out first. Never trusted on its
 * own: other instances commit too, so every read checks it against Redis and fetches only the missing entries.
 */
final class HeadCache {

    /** A document at {@code rev}; {@code snapRev} tells the next append whether a compaction is due. */
    record Head(String epoch, long rev, long snapRev, String content) {
    }

    private final Map<DocumentId, Head> heads;

    HeadCache(int capacity) {
        this.heads = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<DocumentId, Head> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized Head get(DocumentId id) {
        return heads.get(id);
    }

    /** Keeps {@code head} unless a newer revision of the same epoch is already cached (a slower reader lost). */
    synchronized void put(DocumentId id, Head head) {
        Head current = heads.get(id);
        if (current == null || !current.epoch().equals(head.epoch()) || current.rev() <= head.rev()) {
            heads.put(id, head);
        }
    }

    synchronized void remove(DocumentId id) {
        heads.remove(id);
    }
}
