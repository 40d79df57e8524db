package io.coedit.cluster;

import java.util.LinkedHashMap;
import java.util.Map;

import io.coedit.document.DocumentId;

/**
 * The last head content this instance saw per document, least recently used out first, bounded by a count and by
 * bytes. Never trusted on its own: other instances commit too, so every read checks it against Redis and fetches
 * only the missing entries.
 */
final class HeadCache {

    /** A document at {@code rev}; {@code snapRev} tells the next append whether a compaction is due. */
    record Head(String epoch, long rev, long snapRev, String content) {
    }

    private final Map<DocumentId, Head> heads = new LinkedHashMap<>(16, 0.75f, true);
    private final int capacity;
    private final long maxBytes;
    private long bytes;

    HeadCache(int capacity, long maxBytes) {
        this.capacity = capacity;
        this.maxBytes = maxBytes;
    }

    /** Heap taken by a head, roughly: its content at two bytes a code unit, plus the entry. */
    static long bytesOf(Head head) {
        return 2L * head.content().length() + 128;
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int size() {
        return heads.size();
    }

    synchronized Head get(DocumentId id) {
        return heads.get(id);
    }

    /** Keeps {@code head} unless a newer revision of the same epoch is already cached (a slower reader lost). */
    synchronized void put(DocumentId id, Head head) {
        Head current = heads.get(id);
        if (current != null && current.epoch().equals(head.epoch()) && current.rev() > head.rev()) {
            return;
        }
        if (bytesOf(head) > maxBytes || capacity == 0) {
            remove(id);
            return;
        }
        Head replaced = heads.put(id, head);
        bytes += bytesOf(head) - (replaced == null ? 0 : bytesOf(replaced));
        var eldest = heads.entrySet().iterator();
        while ((heads.size() > capacity || bytes > maxBytes) && eldest.hasNext()) {
            bytes -= bytesOf(eldest.next().getValue());
            eldest.remove();
        }
    }

    synchronized void remove(DocumentId id) {
        Head removed = heads.remove(id);
        if (removed != null) {
            bytes -= bytesOf(removed);
        }
    }
}
