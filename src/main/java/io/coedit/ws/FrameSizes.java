package io.coedit.ws;

/**
 * The frame size of texts a batch may take, remembered for the last few texts by identity. A broadcast frame is one
 * {@code String} written to every session of a room, and each outbox that batches it needs its UTF-8 size: counted
 * per recipient, that count was 55% of the busiest instance's samples in a hot-document run (50 sessions, 1,000
 * ops/s) where the JIT had fallen behind on two saturated cores. Counted once, it is one pass per broadcast.
 *
 * <p>Shared by every thread without a lock: a slot holds an immutable pair, so a thread reads either a whole pair or
 * one that does not match (and counts again). Only texts short enough to fit a batch are counted or kept, so at most
 * {@link #SLOTS} of them, each under a batch's size, stay reachable from here.
 */
final class FrameSizes {

    static final int SLOTS = 64;

    private record Sized(String text, int bytes) {}

    private final Sized[] slots = new Sized[SLOTS];

    /**
     * {@code text}'s frame size ({@link Outbox#frameBytes}) when it is at most {@code maxBytes}; otherwise some size
     * over {@code maxBytes}, without counting: a text longer in chars than that has more bytes still.
     */
    int of(String text, int maxBytes) {
        if (text.length() > maxBytes) {
            return text.length() + 2;
        }
        int slot = System.identityHashCode(text) & (SLOTS - 1);
        Sized sized = slots[slot];
        if (sized != null && sized.text() == text) {
            return sized.bytes();
        }
        int bytes = Outbox.frameBytes(text);
        slots[slot] = new Sized(text, bytes);
        return bytes;
    }
}
