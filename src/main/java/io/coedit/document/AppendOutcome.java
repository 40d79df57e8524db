package io.coedit.document;

/** What the store's atomic "append if the head is still r" step did. */
public sealed interface AppendOutcome {

    /** The operation is stored as the new head. */
    record Appended(CommittedOp op) implements AppendOutcome {}

    /** Another writer moved the head first: transform against the newer operations and try again. */
    record HeadMoved(long headRev) implements AppendOutcome {}

    /** The client op key (author and id) was already stored, as revision {@code rev}: nothing changed. */
    record Duplicate(long rev) implements AppendOutcome {}

    /** The document's history was replaced (a new epoch) after the caller read it. */
    record EpochChanged(String epoch) implements AppendOutcome {}
}
