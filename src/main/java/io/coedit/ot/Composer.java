package io.coedit.ot;

/**
 * ot.js {@code compose}: lets the server squash consecutive operations (and the client its buffered edits) into one
 * with the same effect. Kept step for step with ot.js so both sides produce identical canonical operations.
 */
final class Composer {

    private Composer() {}

    static TextOperation compose(TextOperation first, TextOperation second) {
        if (first.targetLength() != second.baseLength()) {
            throw new InvalidOperationException(
                    InvalidOperationException.Reason.BASE_LENGTH_MISMATCH,
                    "Cannot compose: the second operation's base length " + second.baseLength()
                            + " differs from the first operation's target length " + first.targetLength());
        }
        OperationBuilder out = TextOperation.builder();
        ComponentCursor a = new ComponentCursor(first);
        ComponentCursor b = new ComponentCursor(second);
        while (!a.isDone() || !b.isDone()) {
            // deletes of the first and inserts of the second touch nothing of the other side
            if (a.isDelete()) {
                int count = a.remaining();
                out.delete(count);
                a.advance(count);
                continue;
            }
            if (b.isInsert()) {
                out.insert(b.takeText(b.remaining()));
                continue;
            }
            // unreachable when the lengths match, which was checked above
            if (a.isDone() || b.isDone()) {
                throw new IllegalStateException("compose ran off the end of an operation: " + first + ", " + second);
            }
            int count = Math.min(a.remaining(), b.remaining());
            if (a.isRetain() && b.isRetain()) {
                out.retain(count);
                a.advance(count);
            } else if (a.isInsert() && b.isDelete()) {
                a.advance(count); // inserted, then deleted again: nothing left
            } else if (a.isInsert() && b.isRetain()) {
                out.insert(a.takeText(count));
            } else { // a retains what b deletes
                out.delete(count);
                a.advance(count);
            }
            b.advance(count);
        }
        return out.build();
    }
}
