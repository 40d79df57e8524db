package io.coedit.document;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last head content this instance saw per document, least recently stored out first, bounded by a count and by
 * bytes. Never trusted on its own: other instances commit too, so every read checks it against the store and
 * fetches only the missing entries.
 *
 * <p>Reads take no lock. Every submit reads its document's head, on the submit threads, while Redis' event loop
 * stores the heads of the commits it completes: under one lock, a thread preempted while holding it (two busy
 * cores) kept the others waiting tens of milliseconds in the 10,000 ops/s run. Only the stores take the lock, and
 * they keep the eviction order; a read no longer counts as a use in it.
 */
public final class HeadCache {

    /**
     * Ops a head keeps of the history that led to it, so that a submit can transform without a read: enough for a
     * document with a few hundred ops in flight (50 writers, each with one op in flight, under a latency spike), and
     * for a turn of queued ops that waited a second on a document taking 1,000 ops/s (the default log keeps 1,000).
     * Below that, submits fall back to reading the log just when the document is busiest: with 256, an instance that
     * fell a quarter of a second behind on a document other instances wrote to placed each op alone, after a read,
     * and fell further behind with every turn. {@link #RECENT_OPS_AGE} keeps a quieter document's ops fewer.
     */
    static final int RECENT_OPS = 1024;
    /**
     * Recent ops are kept only while they are this much older than the newest: a submit's base lags the head by what
     * was in flight while it travelled, well under this. Without the bound a quiet document's ops stayed for minutes,
     * long enough to survive young collections and be copied into the old generation, one by one, on every
     * instance (10 ops/s on each of 100 documents kept 25,600 ops alive for 25 s). Measured by the commit times,
     * so it needs no clock; a skewed instance's clock only keeps ops a little shorter or longer.
     */
    static final Duration RECENT_OPS_AGE = Duration.ofSeconds(2);
    /** Relayed ops are applied to cached heads up to this length; a longer head is brought level by the next read. */
    static final int MAX_RELAY_APPLY_LENGTH = 256 * 1024;
    /**
     * Relayed ops held per document while they wait for the revisions before them: a commit's reply and the next
     * relayed op travel on two connections, so the op can be handled first. More than this is a missed message, not
     * a race, and the next read brings the head level.
     */
    static final int MAX_HELD_OPS = 32;

    /**
     * A document at {@code rev}; {@code snapRev} tells the next append whether a compaction is due; {@code recent}
     * holds the last few ops up to {@code rev}, consecutive, oldest first (possibly none), and {@code recentBytes}
     * what they weigh ({@link CommittedOp#sizeInBytes}), kept as the head moves on rather than summed on every put.
     */
    public record Head(
            String epoch, long rev, long snapRev, String content, List<CommittedOp> recent, long recentBytes) {

        public Head(String epoch, long rev, long snapRev, String content, List<CommittedOp> recent) {
            this(
                    epoch,
                    rev,
                    snapRev,
                    content,
                    List.copyOf(recent),
                    recent.stream().mapToLong(CommittedOp::sizeInBytes).sum());
        }

        public Head(String epoch, long rev, long snapRev, String content) {
            this(epoch, rev, snapRev, content, List.of(), 0);
        }

        /**
         * This head moved on by {@code op} (whose rev follows this one), keeping the newest recent ops: at most
         * {@link #RECENT_OPS}, none committed more than {@link #RECENT_OPS_AGE} before {@code op}.
         */
        public Head then(CommittedOp op, long newSnapRev, String newContent) {
            int dropped = Math.max(0, recent.size() + 1 - RECENT_OPS);
            Instant oldestKept = op.timestamp().minus(RECENT_OPS_AGE);
            while (dropped < recent.size() && recent.get(dropped).timestamp().isBefore(oldestKept)) {
                dropped++;
            }
            long weight = recentBytes + op.sizeInBytes();
            for (int i = 0; i < dropped; i++) {
                weight -= recent.get(i).sizeInBytes();
            }
            List<CommittedOp> next = new ArrayList<>(recent.size() + 1 - dropped);
            next.addAll(recent.subList(dropped, recent.size()));
            next.add(op);
            return new Head(epoch, op.rev(), newSnapRev, newContent, Collections.unmodifiableList(next), weight);
        }
    }

    /** Guarded by this, oldest stored first; {@link #readable} holds the same entries for reads without the lock. */
    private final Map<DocumentId, Head> heads = new LinkedHashMap<>(16, 0.75f, true);

    private final Map<DocumentId, Head> readable = new ConcurrentHashMap<>();

    /** Guarded by this: relayed ops ahead of their document's cached head, by revision, counted in {@link #bytes}. */
    private final Map<DocumentId, Held> held = new HashMap<>();

    private record Held(String epoch, TreeMap<Long, CommittedOp> ops) {}

    private final int capacity;
    private final long maxBytes;
    private long bytes;

    public HeadCache(int capacity, long maxBytes) {
        this.capacity = capacity;
        this.maxBytes = maxBytes;
    }

    /** Heap taken by a head, roughly: its content at two bytes a code unit, its recent ops, plus the entry. */
    static long bytesOf(Head head) {
        return 2L * head.content().length() + 128 + head.recentBytes();
    }

    /**
     * Moves a cached head on by an op another instance committed, when it is the very next revision of the same
     * epoch: the relay then keeps this instance's cache current, and its next submit needs no read. An op a few
     * revisions ahead is held until the ones before it arrive (this instance's own commit's reply, usually).
     */
    public void advance(DocumentId id, String epoch, CommittedOp op) {
        Head current = get(id);
        if (current == null
                || !current.epoch().equals(epoch)
                || current.rev() >= op.rev()
                || current.content().length() > MAX_RELAY_APPLY_LENGTH) {
            return;
        }
        if (current.rev() != op.rev() - 1) {
            hold(id, epoch, op);
            return;
        }
        // applied outside the lock: submit threads read the cache meanwhile; the result is kept only if nothing else
        // replaced that head in between
        Head next;
        try {
            next = current.then(op, current.snapRev(), op.op().apply(current.content()));
        } catch (RuntimeException ex) {
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
        } else {
            put(id, next);
        }
    }

    private synchronized void hold(DocumentId id, String epoch, CommittedOp op) {
        Head current = heads.get(id);
        if (current == null || !current.epoch().equals(epoch) || current.rev() >= op.rev()) {
            return;
        }
        if (op.rev() - current.rev() > MAX_HELD_OPS) {
            release(id);
            return;
        }
        Held waiting = held.get(id);
        if (waiting == null || !waiting.epoch().equals(epoch)) {
            release(id);
            waiting = new Held(epoch, new TreeMap<>());
            held.put(id, waiting);
        }
        if (waiting.ops().putIfAbsent(op.rev(), op) == null) {
            bytes += op.sizeInBytes();
        }
        // the missing revisions may have been stored between the check without the lock and this one
        Head caughtUp = caughtUp(id, current);
        if (caughtUp != current) {
            put(id, caughtUp);
        }
    }

    /** {@code head} moved on by the held ops that follow it, which are released; the others stay held. */
    private Head caughtUp(DocumentId id, Head head) {
        if (held.isEmpty()) {
            return head; // the common case, on every store: no hashing of the id
        }
        Held waiting = held.get(id);
        if (waiting == null) {
            return head;
        }
        if (!waiting.epoch().equals(head.epoch())) {
            release(id);
            return head;
        }
        Head next = head;
        var first = waiting.ops().firstEntry();
        while (first != null && first.getKey() <= next.rev() + 1) {
            CommittedOp op = first.getValue();
            waiting.ops().pollFirstEntry();
            bytes -= op.sizeInBytes();
            if (op.rev() == next.rev() + 1) {
                try {
                    next = next.then(op, next.snapRev(), op.op().apply(next.content()));
                } catch (RuntimeException ex) {
                    release(id); // it does not fit what this instance has: the next read starts from the store
                    return next;
                }
            }
            first = waiting.ops().firstEntry();
        }
        if (waiting.ops().isEmpty()) {
            held.remove(id);
        }
        return next;
    }

    private void release(DocumentId id) {
        if (held.isEmpty()) {
            return;
        }
        Held waiting = held.remove(id);
        if (waiting != null) {
            bytes -= waiting.ops().values().stream()
                    .mapToLong(CommittedOp::sizeInBytes)
                    .sum();
        }
    }

    /** What this instance last saw of the document, for the submit path ({@link DocumentStore#recent}). */
    public Optional<RecentHead> recent(DocumentId id) {
        Head cached = get(id);
        return cached == null
                ? Optional.empty()
                : Optional.of(new RecentHead(
                        new DocumentSnapshot(id, cached.epoch(), cached.rev(), cached.content()), cached.recent()));
    }

    /**
     * After this instance appended {@code ops} on {@code expectedHeadRev}: the new head, the ops its newest recent
     * ones (after the cached head's, when that was the one they were written on).
     */
    public void appended(
            DocumentId id,
            String epoch,
            long expectedHeadRev,
            List<CommittedOp> ops,
            long snapRev,
            String contentAfter) {
        CommittedOp last = ops.get(ops.size() - 1);
        Head before = get(id);
        // the ops just committed are the head's recent history even when the head they went on was not cached
        Head after = before != null && before.epoch().equals(epoch) && before.rev() == expectedHeadRev
                ? before
                : new Head(epoch, expectedHeadRev, snapRev, "");
        for (CommittedOp op : ops) {
            // only the last head's content is kept; the ones in between are never read
            after = after.then(op, snapRev, op == last ? contentAfter : after.content());
        }
        put(id, after);
    }

    /** Checks that {@code ops} are the consecutive revisions after {@code expectedHeadRev}, as stores append them. */
    public static void requireConsecutive(long expectedHeadRev, List<CommittedOp> ops) {
        for (int i = 0; i < ops.size(); i++) {
            if (ops.get(i).rev() != expectedHeadRev + 1 + i) {
                throw new IllegalArgumentException(
                        "Operation rev " + ops.get(i).rev() + " does not follow " + (expectedHeadRev + i));
            }
        }
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int size() {
        return heads.size();
    }

    public Head get(DocumentId id) {
        return readable.get(id);
    }

    /** Keeps {@code head} unless a newer revision of the same epoch is already cached (a slower reader lost). */
    public synchronized void put(DocumentId id, Head head) {
        Head current = heads.get(id);
        if (current != null && current.epoch().equals(head.epoch()) && current.rev() > head.rev()) {
            return;
        }
        Head kept = caughtUp(id, head);
        long size = bytesOf(kept);
        if (size > maxBytes || capacity == 0) {
            remove(id);
            return;
        }
        Head replaced = heads.put(id, kept);
        readable.put(id, kept);
        bytes += size - (replaced == null ? 0 : bytesOf(replaced));
        var eldest = heads.entrySet().iterator();
        while ((heads.size() > capacity || bytes > maxBytes) && eldest.hasNext()) {
            var evicted = eldest.next();
            bytes -= bytesOf(evicted.getValue());
            readable.remove(evicted.getKey());
            eldest.remove();
            release(evicted.getKey());
        }
    }

    public synchronized void remove(DocumentId id) {
        Head removed = heads.remove(id);
        readable.remove(id);
        release(id);
        if (removed != null) {
            bytes -= bytesOf(removed);
        }
    }
}
