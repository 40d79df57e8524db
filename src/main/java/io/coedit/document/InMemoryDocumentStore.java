package io.coedit.document;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** The single-instance store: everything in this JVM's heap, lost on restart. */
public class InMemoryDocumentStore implements DocumentStore {

    private final Map<DocumentId, MemoryDocument> documents = new ConcurrentHashMap<>();
    private final int retainedOps;

    public InMemoryDocumentStore(int retainedOps) {
        this.retainedOps = retainedOps;
    }

    @Override
    public DocumentSnapshot snapshot(DocumentId id) {
        return document(id).snapshot(id);
    }

    @Override
    public Optional<List<CommittedOp>> opsSince(DocumentId id, String epoch, long rev) {
        return document(id).opsSince(epoch, rev);
    }

    @Override
    public Optional<CommittedOp> findByClientOpId(DocumentId id, String epoch, String clientOpId) {
        return document(id).find(epoch, clientOpId);
    }

    @Override
    public AppendOutcome append(DocumentId id, String epoch, long expectedHeadRev, CommittedOp op, String newContent) {
        return document(id).append(epoch, expectedHeadRev, op, newContent);
    }

    private MemoryDocument document(DocumentId id) {
        return documents.computeIfAbsent(id, ignored -> new MemoryDocument(UUID.randomUUID().toString(), retainedOps));
    }

    private static final class MemoryDocument {
        private final String epoch;
        private final int retainedOps;
        private final ArrayDeque<CommittedOp> log = new ArrayDeque<>();
        private final Map<String, CommittedOp> byClientOpId = new HashMap<>();
        private long rev;
        private String content = "";

        MemoryDocument(String epoch, int retainedOps) {
            this.epoch = epoch;
            this.retainedOps = retainedOps;
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

        synchronized Optional<CommittedOp> find(String expectedEpoch, String clientOpId) {
            return epoch.equals(expectedEpoch) ? Optional.ofNullable(byClientOpId.get(clientOpId)) : Optional.empty();
        }

        synchronized AppendOutcome append(String expectedEpoch, long expectedHeadRev, CommittedOp op, String newContent) {
            if (!epoch.equals(expectedEpoch)) {
                return new AppendOutcome.EpochChanged(epoch);
            }
            CommittedOp original = byClientOpId.get(op.clientOpId());
            if (original != null) {
                return new AppendOutcome.Duplicate(original);
            }
            if (rev != expectedHeadRev) {
                return new AppendOutcome.HeadMoved(rev);
            }
            log.addLast(op);
            byClientOpId.put(op.clientOpId(), op);
            while (log.size() > retainedOps) {
                byClientOpId.remove(log.removeFirst().clientOpId());
            }
            rev = op.rev();
            content = newContent;
            return new AppendOutcome.Appended(op);
        }
    }
}
