package io.coedit.document;

/** Who wrote an operation, as recorded in the op log. */
public record Author(String id, String name) {}
