package io.coedit.document;

/**
 * A session's presence as other instances learn it.
 *
 * @param kind what happened
 * @param clientId the session's server-assigned id
 * @param pos caret position, or -1 when unknown
 * @param since when the session joined, in epoch milliseconds
 */
public record PresenceUpdate(
        Kind kind, String clientId, String userId, String userName, int pos, int selStart, int selEnd, long since) {

    public enum Kind {
        JOIN,
        LEAVE,
        CURSOR
    }

    public PresenceUpdate withKind(Kind newKind) {
        return new PresenceUpdate(newKind, clientId, userId, userName, pos, selStart, selEnd, since);
    }
}
