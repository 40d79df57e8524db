package io.coedit.document;

import java.util.List;

/** What a client that last saw some revision needs: the missing operations, or a whole new snapshot. */
public sealed interface SyncResult {

    /** The operations after the client's revision, in order (possibly none). */
    record Ops(List<CommittedOp> ops) implements SyncResult {}

    /** The history the client knows is gone (not retained, or another epoch): start over from this. */
    record Snapshot(DocumentSnapshot snapshot) implements SyncResult {}
}
