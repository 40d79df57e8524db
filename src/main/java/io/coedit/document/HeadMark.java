package io.coedit.document;

/** Where a document's history stands, without its content: enough to tell whether a room is behind. */
public record HeadMark(String epoch, long rev) {}
