package io.coedit.web;

/** A document nobody has written to: reading it must not bring it into being. */
class DocumentNotFoundException extends RuntimeException {

    DocumentNotFoundException(String id) {
        super("No document " + id + ": nobody has edited it yet", null, false, false);
    }
}
