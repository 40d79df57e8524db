package io.coedit.ws;

/**
 * Joins the parts of one text message. Tomcat hands over at most its (small) frame buffer at a time, which keeps
 * idle connections cheap; the message size limit is enforced here, in UTF-8 bytes as the client counts them.
 */
final class PartialMessage {

    private final long maxBytes;
    private StringBuilder parts;
    private long bytes;

    PartialMessage(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Adds a part; returns the whole message when {@code last}, otherwise null.
     *
     * @throws MessageTooBigException once the message exceeds the limit; the parts are dropped
     */
    String append(String part, boolean last) {
        bytes += utf8Length(part);
        if (bytes > maxBytes) {
            reset();
            throw new MessageTooBigException();
        }
        if (last && parts == null) {
            bytes = 0;
            return part;
        }
        if (parts == null) {
            parts = new StringBuilder(part.length() * 2);
        }
        parts.append(part);
        if (!last) {
            return null;
        }
        String message = parts.toString();
        reset();
        return message;
    }

    private void reset() {
        parts = null;
        bytes = 0;
    }

    static long utf8Length(String text) {
        long length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length += 1;
            }
            else if (c < 0x800) {
                length += 2;
            }
            else if (Character.isHighSurrogate(c)) {
                length += 4;
                i++;
            }
            else {
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
