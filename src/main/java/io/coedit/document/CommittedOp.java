package io.coedit.document;

import java.time.Instant;

import io.coedit.ot.TextOperation;

/**
 * An accepted operation as stored in the op log.
 *
 * @param rev the revision this operation produced (the first operation of a document produces 1)
 * @param op the operation as applied, transformed onto revision {@code rev - 1}
 * @param clientOpId the submitter's {@code <clientId>:<seq>}, which makes resubmission idempotent
 */
public record CommittedOp(long rev, TextOperation op, Author author, String clientOpId, Instant timestamp) {

    /** What {@link #sizeInBytes} counts for the smallest op. */
    public static final long MIN_BYTES = 96;

    /**
     * About what this op takes as a log entry or a message: its inserted text (UTF-16 code units, so a bound in
     * bytes holds however it is encoded), its components and its ids. What the byte budgets of logs, sync answers
     * and pages count.
     */
    public long sizeInBytes() {
        return sizeInBytes(op, clientOpId, author);
    }

    /** What {@link #sizeInBytes} counts for an op not committed yet. */
    static long sizeInBytes(TextOperation op, String clientOpId, Author author) {
        long bytes = MIN_BYTES
                + 2L
                        * (clientOpId.length()
                                + author.id().length()
                                + author.name().length());
        for (Object component : op.components()) {
            bytes += component instanceof String text ? 8L + 2L * text.length() : 12L;
        }
        return bytes;
    }
}
