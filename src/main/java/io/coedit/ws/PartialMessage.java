package io.coedit.ws;

/**
 * Joins the parts of one text message. Tomcat hands over at most its (small) frame buffer at a time, which keeps
 * idle connections cheap; the message size limit is enforced here, in UTF-8 bytes as the client counts them, and the
 * parts held count against the instance's {@link PartialMessageBudget} until the message is whole or dropped.
 */
final class PartialMessage {

    private final long maxBytes;
    private final PartialMessageBudget budget;
    private StringBuilder parts;
    private long bytes;
    private long held;
    private long startedNanos;

    PartialMessage(long maxBytes, PartialMessageBudget budget) {
        this.maxBytes = maxBytes;
        this.budget = budget;
    }

    /**
     * Adds a part; returns the whole message when {@code last}, otherwise null.
     *
     * @throws MessageTooBigException once the message exceeds the limit; the parts are dropped
     * @throws PartialMessageBudget.ExhaustedException when holding this part would pass the instance's budget
     */
    synchronized String append(String part, boolean last, long nowNanos) {
        bytes += utf8Length(part);
        if (bytes > maxBytes) {
            release();
            throw new MessageTooBigException();
        }
        if (last && parts == null) {
            bytes = 0;
            return part;
        }
        if (parts == null) {
            parts = new StringBuilder(part.length() * 2);
            startedNanos = nowNanos;
        }
        if (!last) {
            long more = 2L * part.length();
            try {
                budget.take(more);
            } catch (PartialMessageBudget.ExhaustedException ex) {
                release();
                throw ex;
            }
            held += more;
        }
        parts.append(part);
        if (!last) {
            return null;
        }
        String message = parts.toString();
        release();
        return message;
    }

    /** Whether an unfinished message has been waiting for its next part since before {@code deadlineNanos}. */
    synchronized boolean unfinishedSince(long deadlineNanos) {
        return parts != null && startedNanos - deadlineNanos < 0;
    }

    /** Drops the parts held and gives their bytes back to the budget. */
    synchronized void release() {
        budget.giveBack(held);
        held = 0;
        parts = null;
        bytes = 0;
    }

    static long utf8Length(String text) {
        long length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c)) {
                length += 4;
                i++;
            } else {
                length += 3;
            }
        }
        return length;
    }

    /** The message would exceed {@code coedit.ws.max-message-size}. */
    static final class MessageTooBigException extends RuntimeException {
        MessageTooBigException() {
            super("message too big", null, false, false);
        }
    }
}
