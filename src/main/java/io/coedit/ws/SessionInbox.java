package io.coedit.ws;

import java.util.ArrayDeque;

/**
 * Keeps one session's messages in order while a step of it waits on the store off the request threads (its join, a
 * {@code sync}): messages that arrive meanwhile are held, and the thread that ran the step carries them out after
 * it, in the order they came. Held messages count against the instance's {@link PartialMessageBudget} (received,
 * not yet handled), and a session holds at most {@link #MAX_HELD} of them.
 *
 * <p>Tomcat hands a session's messages over one at a time, so only one thread admits; the step's thread only takes.
 */
final class SessionInbox {

    /** Messages one session may have waiting behind its join or sync; a protocol-abiding client sends none there. */
    static final int MAX_HELD = 64;

    private final PartialMessageBudget budget;
    /** Made when a message first has to wait: most sessions never hold one. */
    private ArrayDeque<String> held;

    private long heldBytes;
    private boolean away;
    private boolean released;

    SessionInbox(PartialMessageBudget budget) {
        this.budget = budget;
    }

    /** A step that waits on the store begins: messages arriving until it ends are held. */
    synchronized void away() {
        away = true;
    }

    /**
     * @return true when the caller carries the message out now; false when it is held for the running step
     * @throws PartialMessageBudget.ExhaustedException when holding it would pass the instance's budget
     * @throws TooManyHeldException when the session already holds {@link #MAX_HELD} messages
     */
    synchronized boolean admit(String message) {
        if (!away) {
            return true;
        }
        if (released) {
            return false; // closed meanwhile: nobody will carry it out
        }
        if (held == null) {
            held = new ArrayDeque<>();
        }
        if (held.size() >= MAX_HELD) {
            throw new TooManyHeldException();
        }
        long bytes = 2L * message.length();
        budget.take(bytes);
        heldBytes += bytes;
        held.add(message);
        return false;
    }

    /** The next held message, for the step's thread; null when none is left, and from then on messages go through. */
    synchronized String next() {
        String message = held == null ? null : held.poll();
        if (message == null) {
            away = false;
            held = null;
            return null;
        }
        long bytes = 2L * message.length();
        heldBytes -= bytes;
        budget.giveBack(bytes);
        return message;
    }

    /** The session is closing: what it holds is dropped and its bytes given back. */
    synchronized void release() {
        released = true;
        budget.giveBack(heldBytes);
        heldBytes = 0;
        held = null;
    }

    synchronized int heldCount() {
        return held == null ? 0 : held.size();
    }

    /** The session sent more than {@link #MAX_HELD} messages while its join or sync was being read. */
    static final class TooManyHeldException extends RuntimeException {
        TooManyHeldException() {
            super("too many messages held", null, false, false);
        }
    }
}
