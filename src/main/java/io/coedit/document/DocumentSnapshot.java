package io.coedit.document;

/**
 * A document's content at a revision.
 *
 * @param epoch id of this incarnation of the document's history; revisions only compare within one epoch
 */
public record DocumentSnapshot(DocumentId id, String epoch, long rev, String content) {}
