package io.coedit.document;

/** What became of a submitted operation, as the submitter is told about it. */
public sealed interface SubmitResult {

    /** The revision the operation produced (now, or when it was first accepted). */
    long rev();

    /** Stored now as {@code op}. */
    record Accepted(CommittedOp op) implements SubmitResult {
        @Override
        public long rev() {
            return op.rev();
        }
    }

    /** The same author's op with this id was accepted before, as {@code rev}; nothing changed. */
    record Duplicate(long rev) implements SubmitResult {}
}
