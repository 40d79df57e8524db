package io.coedit.document;

/**
 * Receives what other instances did to one document, in publish order: on the relay's thread, or on the thread the
 * message arrived on when it goes to a few sessions (see {@link #localSessions()}). Either way a call must never wait.
 */
public interface RelayListener {

    /**
     * An op another instance committed in {@code epoch}. Revisions may skip (pub/sub drops messages): fill gaps from
     * the log. An op of another epoch than the listener's belongs to another history and must not be applied.
     */
    void committed(String epoch, CommittedOp op);

    /** A session of another instance joined, left or moved its cursor. */
    void presence(PresenceUpdate update);

    /** The relay was reconnected: anything published meanwhile was lost, so catch up from the log. */
    void resynchronize();

    /**
     * The sessions on this instance that an op is handed to: a relay may deliver to a few of them on the thread the
     * message arrived on. Unknown counts as many.
     */
    default int localSessions() {
        return Integer.MAX_VALUE;
    }
}
