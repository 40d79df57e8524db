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
}
