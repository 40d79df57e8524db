package io.coedit.ws;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A server message as the bytes of its text frame's payload, encoded once. A frame every session of a document
 * gets (an op, a presence change, an event) is encoded once for all of them instead of once per recipient by the
 * container, and the send buffer counts the bytes it actually holds.
 */
final class TextFrame {

    private final byte[] utf8;

    private TextFrame(byte[] utf8) {
        this.utf8 = utf8;
    }

    static TextFrame of(String text) {
        return new TextFrame(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The payload, for one write: each recipient reads its own buffer over the shared bytes. */
    ByteBuffer payload() {
        return ByteBuffer.wrap(utf8);
    }

    int payloadBytes() {
        return utf8.length;
    }

    /** The bytes of the frame as a server writes it: the payload and an unmasked header. */
    int wireBytes() {
        int header = utf8.length <= 125 ? 2 : utf8.length <= 0xFFFF ? 4 : 10;
        return utf8.length + header;
    }

    String text() {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return text();
    }
}
