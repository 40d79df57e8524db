package io.coedit.document;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The single-instance store: everything in this JVM's heap, lost on restart. A document takes memory only from its
 * first accepted op; until then it reads as empty at revision 0 of this process's genesis epoch, so a restart (a new
 * genesis) still tells reconnecting clients that the history they knew is gone.
 */
public class InMemoryDocumentStore implements DocumentStore {

    private final Map<DocumentId, MemoryDocument> documents = new ConcurrentHashMap<>();
    private final LogLimits limits;
    private final String genesisEpoch = UUID.randomUUID().toString();

    public InMemoryDocumentStore(LogLimits limits) {
        this.limits = limits;
    }

    public InMemoryDocumentStore(int retainedOps) {
        this(LogLimits.ofOps(retainedOps));
    }

    @Override
    public DocumentSnapshot snapshot(DocumentId id) {
        MemoryDocument document = documents.get(id);
        return document == null ? new DocumentSnapshot(id, genesisEpoch, 0, "") : document.snapshot(id);
    }

    @Override
    public Optional<List<CommittedOp>> opsSince(DocumentId id, String epoch, long rev) {
        MemoryDocument document = documents.get(id);
        if (document == null) {
            return epoch.equals(genesisEpoch) && rev == 0 ? Optional.of(List.of()) : Optional.empty();
        }
        return document.opsSince(epoch, rev);
    }

    @Override
    public Optional<RecentHead> recent(DocumentId id) {
        MemoryDocument document = documents.get(id);
        return document == null ? Optional.empty() : Optional.of(document.recent(id));
    }

    @Override
    public OpIdLookup lookUp(DocumentId id, String epoch, ClientOpKey key, long baseRev) {
        MemoryDocument document = documents.get(id);
        if (document == null) {
            return new OpIdLookup.Absent();
        }
        return document.lookUp(epoch, key, baseRev);
    }

    @Override
    public AppendOutcome appendAll(
            DocumentId id, String epoch, long expectedHeadRev, List<CommittedOp> ops, String newContent) {
        MemoryDocument document = documents.get(id);
        if (document == null) {
            if (!epoch.equals(genesisEpoch)) {
                return new AppendOutcome.EpochChanged(genesisEpoch);
            }
            if (expectedHeadRev != 0) {
                return new AppendOutcome.HeadMoved(0);
            }
            document = documents.computeIfAbsent(id, ignored -> new MemoryDocument(genesisEpoch, limits));
        }
        return document.append(epoch, expectedHeadRev, ops, newContent);
    }

    /** Whether anything is kept for this document (tests: reading must keep nothing). */
    boolean holds(DocumentId id) {
        return documents.containsKey(id);
    }

    private record IndexedOp(long rev, Instant at) {}

    private static final class MemoryDocument {
        private final String epoch;
        private final LogLimits limits;
        private final ArrayDeque<CommittedOp> log = new ArrayDeque<>();
        private long logBytes;
        /** Accepted (author, id) keys in revision order, kept by time and count, not by what the log holds. */
        private final LinkedHashMap<String, IndexedOp> opIds = new LinkedHashMap<>();

        private long lowestIndexedRev = 1;
        private long rev;
        private String content = "";

        MemoryDocument(String epoch, LogLimits limits) {
            this.epoch = epoch;
            this.limits = limits;
        }

        synchronized DocumentSnapshot snapshot(DocumentId id) {
            return new DocumentSnapshot(id, epoch, rev, content);
        }

        synchronized Optional<List<CommittedOp>> opsSince(String expectedEpoch, long since) {
            long oldestRetained = log.isEmpty() ? rev + 1 : log.peekFirst().rev();
            if (!epoch.equals(expectedEpoch) || since < oldestRetained - 1 || since > rev) {
                return Optional.empty();
            }
            return Optional.of(log.stream().filter(op -> op.rev() > since).toList());
        }

        synchronized RecentHead recent(DocumentId id) {
            List<CommittedOp> tail =
                    log.stream().skip(Math.max(0, log.size() - 64L)).toList();
            return new RecentHead(new DocumentSnapshot(id, epoch, rev, content), tail);
        }

        synchronized OpIdLookup lookUp(String expectedEpoch, ClientOpKey key, long baseRev) {
            if (!epoch.equals(expectedEpoch)) {
                return new OpIdLookup.Unknown();
            }
            IndexedOp indexed = opIds.get(key.value());
            return indexed != null
                    ? new OpIdLookup.Found(indexed.rev())
                    : OpIdLookup.missing(baseRev, lowestIndexedRev);
        }

        synchronized AppendOutcome append(
                String expectedEpoch, long expectedHeadRev, List<CommittedOp> ops, String newContent) {
            if (!epoch.equals(expectedEpoch)) {
                return new AppendOutcome.EpochChanged(epoch);
            }
            for (CommittedOp op : ops) {
                IndexedOp original = opIds.get(ClientOpKey.of(op).value());
                if (original != null) {
                    return new AppendOutcome.Duplicate(original.rev());
                }
            }
            if (rev != expectedHeadRev) {
                return new AppendOutcome.HeadMoved(rev);
            }
            for (CommittedOp op : ops) {
                log.addLast(op);
                logBytes += op.sizeInBytes();
                while (log.size() > limits.retainedOps() || (logBytes > limits.retainedBytes() && log.size() > 1)) {
                    logBytes -= log.removeFirst().sizeInBytes();
                }
                opIds.put(ClientOpKey.of(op).value(), new IndexedOp(op.rev(), op.timestamp()));
                forgetOldOpIds(op.timestamp());
            }
            CommittedOp last = ops.get(ops.size() - 1);
            rev = last.rev();
            content = newContent;
            return new AppendOutcome.Appended(last);
        }

        private void forgetOldOpIds(Instant now) {
            Instant cutoff = now.minus(limits.opIdWindow());
            Iterator<IndexedOp> oldestFirst = opIds.values().iterator();
            while (oldestFirst.hasNext()) {
                IndexedOp oldest = oldestFirst.next();
                if (opIds.size() <= limits.opIdMax() && !oldest.at().isBefore(cutoff)) {
                    return;
                }
                oldestFirst.remove();
                lowestIndexedRev = oldest.rev() + 1;
            }
        }
    }
}
