package io.coedit.cluster;

/**
 * A session's presence as other instances learn it.
 *
 * @param kind what happened
 * @param clientId the session's server-assigned id
 * @param pos caret position, or -1 when unknown
 */
public record PresenceUpdate(Kind kind, String clientId, String userId, String userName, int pos, int selStart,
        int selEnd) {

    public enum Kind { JOIN, LEAVE, CURSOR }

    public PresenceUpdate withKind(Kind newKind) {
        return new PresenceUpdate(newKind, clientId, userId, userName, pos, selStart, selEnd);
    }
}
