package io.coedit.document;

import java.time.Instant;

import io.coedit.ot.TextOperation;

/**
 * An accepted operation as stored in the op log.
 *
 * @param rev the revision this operation produced (the first operation of a document produces 1)
 * @param op the operation as applied, transformed onto revision {@code rev - 1}
 * @param clientOpId the submitter's {@code <clientId>:<seq>}, which makes resubmission idempotent
 * @param sizeInBytes about what this op takes as a log entry or a message: its inserted text (UTF-16 code units, so a
 *     bound in bytes holds however it is encoded), its components and its ids; what the byte budgets of logs, sync
 *     answers and pages count. Worked out once, by the five-argument constructor, where the op's parts are at hand:
 *     the recent-op lists add and subtract it as ops come and go, and working it out each time had 6.7% of the Java
 *     samples of the instance taking 10,000 ops/s.
 */
public record CommittedOp(
        long rev, TextOperation op, Author author, String clientOpId, Instant timestamp, long sizeInBytes) {

    /** What {@link #sizeInBytes} counts for the smallest op. */
    public static final long MIN_BYTES = 96;

    public CommittedOp {
        if (sizeInBytes < MIN_BYTES) {
            throw new IllegalArgumentException("sizeInBytes below " + MIN_BYTES + ": " + sizeInBytes);
        }
    }

    public CommittedOp(long rev, TextOperation op, Author author, String clientOpId, Instant timestamp) {
        this(rev, op, author, clientOpId, timestamp, sizeInBytes(op, clientOpId, author));
    }

    /** What {@link #sizeInBytes} counts for an op not committed yet. */
    static long sizeInBytes(TextOperation op, String clientOpId, Author author) {
        long bytes = MIN_BYTES
                + 2L
                        * (clientOpId.length()
                                + author.id().length()
                                + (author.name() == null ? 0 : author.name().length()));
        for (Object component : op.components()) {
            bytes += component instanceof String text ? 8L + 2L * text.length() : 12L;
        }
        return bytes;
    }
}
