package io.coedit.document;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


/**
 * The last head content this instance saw per document, least recently used out first, bounded by a count and by
 * bytes. Never trusted on its own: other instances commit too, so every read checks it against the store and
 * fetches only the missing entries.
 */
public final class HeadCache {

    /**
     * Ops a head keeps of the history that led to it, so that a submit can transform without a read: enough for a
     * document with a few hundred ops in flight (50 writers, each with one op in flight, under a latency spike).
     * Below that, submits fall back to reading the log just when the document is busiest.
     */
    static final int RECENT_OPS = 256;
    /** Relayed ops are applied to cached heads up to this length; a longer head is brought level by the next read. */
    static final int MAX_RELAY_APPLY_LENGTH = 256 * 1024;

    /**
     * A document at {@code rev}; {@code snapRev} tells the next append whether a compaction is due; {@code recent}
     * holds the last few ops up to {@code rev}, consecutive, oldest first (possibly none).
     */
    public record Head(String epoch, long rev, long snapRev, String content, List<CommittedOp> recent) {

        public Head(String epoch, long rev, long snapRev, String content) {
            this(epoch, rev, snapRev, content, List.of());
        }

        /** This head moved on by {@code op} (whose rev follows this one), keeping the newest recent ops. */
        public Head then(CommittedOp op, long newSnapRev, String newContent) {
            List<CommittedOp> next = new ArrayList<>(Math.min(recent.size() + 1, RECENT_OPS));
            next.addAll(recent.size() >= RECENT_OPS ? recent.subList(recent.size() - RECENT_OPS + 1, recent.size())
                    : recent);
            next.add(op);
            return new Head(epoch, op.rev(), newSnapRev, newContent, List.copyOf(next));
        }
    }

    private final Map<DocumentId, Head> heads = new LinkedHashMap<>(16, 0.75f, true);
    private final int capacity;
    private final long maxBytes;
    private long bytes;

    public HeadCache(int capacity, long maxBytes) {
        this.capacity = capacity;
        this.maxBytes = maxBytes;
    }

    /** Heap taken by a head, roughly: its content at two bytes a code unit, its recent ops, plus the entry. */
    static long bytesOf(Head head) {
        long bytes = 2L * head.content().length() + 128;
        for (CommittedOp op : head.recent()) {
            bytes += op.sizeInBytes();
        }
        return bytes;
    }

    /**
     * Moves a cached head on by an op another instance committed, when it is the very next revision of the same
     * epoch: the relay then keeps this instance's cache current, and its next submit needs no read.
     */
    public void advance(DocumentId id, String epoch, CommittedOp op) {
        Head current = get(id);
        if (current == null || !current.epoch().equals(epoch) || current.rev() != op.rev() - 1
                || current.content().length() > MAX_RELAY_APPLY_LENGTH) {
            return;
        }
        // applied outside the lock: submit threads read the cache meanwhile; the result is kept only if nothing else
        // replaced that head in between
        Head next;
        try {
            next = current.then(op, current.snapRev(), op.op().apply(current.content()));
        }
        catch (RuntimeException ex) {
            next = null; // it does not fit what this instance has: the next read starts from Redis
        }
        replace(id, current, next);
    }

    private synchronized void replace(DocumentId id, Head expected, Head next) {
        if (heads.get(id) != expected) {
            return;
        }
        if (next == null) {
            remove(id);
        }
        else {
            put(id, next);
        }
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int size() {
        return heads.size();
    }

    public synchronized Head get(DocumentId id) {
        return heads.get(id);
    }

    /** Keeps {@code head} unless a newer revision of the same epoch is already cached (a slower reader lost). */
    public synchronized void put(DocumentId id, Head head) {
        Head current = heads.get(id);
        if (current != null && current.epoch().equals(head.epoch()) && current.rev() > head.rev()) {
            return;
        }
        long size = bytesOf(head);
        if (size > maxBytes || capacity == 0) {
            remove(id);
            return;
        }
        Head replaced = heads.put(id, head);
        bytes += size - (replaced == null ? 0 : bytesOf(replaced));
        var eldest = heads.entrySet().iterator();
        while ((heads.size() > capacity || bytes > maxBytes) && eldest.hasNext()) {
            bytes -= bytesOf(eldest.next().getValue());
            eldest.remove();
        }
    }

    public synchronized void remove(DocumentId id) {
        Head removed = heads.remove(id);
        if (removed != null) {
            bytes -= bytesOf(removed);
        }
    }
}
