package io.coedit.document;

/** Receives what other instances did to one document. Calls arrive on the relay's thread, in publish order. */
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
}
