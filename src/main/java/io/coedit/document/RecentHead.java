package io.coedit.document;

import java.util.List;

/**
 * What an instance last saw of a document without asking the store: its head and the last few ops that led to it,
 * consecutive and oldest first. It may be behind: other instances commit too. The submit path tries its commit on
 * it, in one round trip, and the store's head check catches a stale one.
 */
public record RecentHead(DocumentSnapshot head, List<CommittedOp> ops) {

    public RecentHead {
        ops = List.copyOf(ops);
    }

    /** The ops after {@code baseRev} of {@code epoch} up to this head, if this view holds all of them. */
    public List<CommittedOp> opsAfter(String epoch, long baseRev) {
        if (!head.epoch().equals(epoch) || baseRev > head.rev()) {
            return null;
        }
        if (baseRev == head.rev()) {
            return List.of();
        }
        if (ops.isEmpty() || ops.get(0).rev() > baseRev + 1) {
            return null;
        }
        return ops.subList((int) (baseRev + 1 - ops.get(0).rev()), ops.size());
    }
}
