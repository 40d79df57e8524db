package io.coedit.ot;

import java.util.Objects;

/**
 * The result of {@link TextOperation#transform}: for concurrent {@code a} and {@code b} on the same document,
 * {@code first} is a' (a rebased onto b) and {@code second} is b' (b rebased onto a).
 */
public record TransformedPair(TextOperation first, TextOperation second) {

    public TransformedPair {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
    }

    /** Alias of {@link #first()} named as in the OT literature. */
    public TextOperation aPrime() {
        return first;
    }

    /** Alias of {@link #second()} named as in the OT literature. */
    public TextOperation bPrime() {
        return second;
    }
}
