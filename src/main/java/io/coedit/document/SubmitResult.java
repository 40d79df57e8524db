package io.coedit.document;

/**
 * A stored operation, as the submitter is told about it.
 *
 * @param duplicate true when the client op id had been accepted before: {@code op} is that original, nothing changed
 */
public record SubmitResult(CommittedOp op, boolean duplicate) {
}
