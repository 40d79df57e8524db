package io.coedit.ot;

import java.util.List;

/**
 * Walks an operation's components while letting the caller consume them partially, which is how compose and
 * transform line two operations up against each other (ot.js does the same by rewriting its op1/op2 variables).
 */
final class ComponentCursor {

    private final List<Object> components;
    private int index;
    /** Code units of the current component already consumed. */
    private int offset;

    ComponentCursor(TextOperation operation) {
        this.components = operation.components();
    }

    boolean isDone() {
        return index >= components.size();
    }

    boolean isRetain() {
        return !isDone() && OperationBuilder.isRetain(components.get(index));
    }

    boolean isInsert() {
        return !isDone() && components.get(index) instanceof String;
    }

    boolean isDelete() {
        return !isDone() && OperationBuilder.isDelete(components.get(index));
    }

    /** Code units left in the current component (retained, inserted or deleted). */
    int remaining() {
        Object component = components.get(index);
        int length = component instanceof String text ? text.length() : Math.abs((Integer) component);
        return length - offset;
    }

    /** The next {@code count} inserted code units; only valid on an insert. */
    String takeText(int count) {
        String text = (String) components.get(index);
        String taken = text.substring(offset, offset + count);
        advance(count);
        return taken;
    }

    void advance(int count) {
        offset += count;
        if (remaining() == 0) {
            index++;
            offset = 0;
        }
    }
}
