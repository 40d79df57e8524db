package io.coedit.ot;

/**
 * ot.js {@code TextOperation.transform}: the heart of OT, which lets two edits made concurrently on the same
 * revision be applied in either order with the same outcome. Kept step for step with ot.js so the server and the
 * browser agree to the character, including which insert wins a tie.
 */
final class Transformer {

    private Transformer() {}

    static TransformedPair transform(TextOperation first, TextOperation second) {
        if (first.baseLength() != second.baseLength()) {
            throw new InvalidOperationException(
                    InvalidOperationException.Reason.BASE_LENGTH_MISMATCH,
                    "Cannot transform: base lengths differ (" + first.baseLength() + " and " + second.baseLength()
                            + ")");
        }
        OperationBuilder firstPrime = TextOperation.builder();
        OperationBuilder secondPrime = TextOperation.builder();
        ComponentCursor a = new ComponentCursor(first);
        ComponentCursor b = new ComponentCursor(second);
        while (!a.isDone() || !b.isDone()) {
            // the first operation's insert is handled first, so on a tie its text ends up first
            if (a.isInsert()) {
                String text = a.takeText(a.remaining());
                firstPrime.insert(text);
                secondPrime.retain(text.length());
                continue;
            }
            if (b.isInsert()) {
                String text = b.takeText(b.remaining());
                firstPrime.retain(text.length());
                secondPrime.insert(text);
                continue;
            }
            // unreachable when the base lengths match, which was checked above
            if (a.isDone() || b.isDone()) {
                throw new IllegalStateException("transform ran off the end of an operation: " + first + ", " + second);
            }
            int count = Math.min(a.remaining(), b.remaining());
            if (a.isRetain() && b.isRetain()) {
                firstPrime.retain(count);
                secondPrime.retain(count);
            } else if (a.isDelete() && b.isRetain()) {
                firstPrime.delete(count);
            } else if (a.isRetain() && b.isDelete()) {
                secondPrime.delete(count);
            }
            // both delete the same text: it is already gone for the other side, so neither prime mentions it
            a.advance(count);
            b.advance(count);
        }
        return new TransformedPair(firstPrime.build(), secondPrime.build());
    }
}
