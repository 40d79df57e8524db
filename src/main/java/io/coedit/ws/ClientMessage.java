package io.coedit.ws;

import io.coedit.ot.TextOperation;

/** Messages a client sends; {@link ClientMessageParser} turns a text frame into one of these. */
sealed interface ClientMessage {

    /** An edit written against revision {@code rev}, with the client's {@code <clientId>:<seq>}. */
    record Op(long rev, TextOperation op, String id) implements ClientMessage {}

    /** "I last saw {@code rev} of {@code epoch}": send what I missed. */
    record Sync(long rev, String epoch) implements ClientMessage {}

    /** The sender's caret and selection. */
    record Cursor(int pos, int selStart, int selEnd) implements ClientMessage {}

    /** A fresh token for the same user, sent before the old one expires. */
    record Auth(String token) implements ClientMessage {}
}
