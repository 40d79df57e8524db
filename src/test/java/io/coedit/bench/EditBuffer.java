package io.coedit.bench;

import io.coedit.ot.TextOperation;

/**
 * A load client's copy of the document, edited in place the way an editor's buffer is. Building a new string per
 * op (as {@link TextOperation#apply} does) costs a copy of the whole document: with 50 writers on one long document
 * that made the load generator, not the server, the busiest process of the hot-document run.
 */
final class EditBuffer {

    private final StringBuilder text = new StringBuilder();

    void reset(String content) {
        text.setLength(0);
        text.append(content);
    }

    int length() {
        return text.length();
    }

    char charAt(int index) {
        return text.charAt(index);
    }

    /** Applies {@code op}; false, and nothing changed, when it was written for a document of another length. */
    boolean apply(TextOperation op) {
        if (op.baseLength() != text.length()) {
            return false;
        }
        int position = 0;
        for (Object component : op.components()) {
            if (component instanceof String insert) {
                text.insert(position, insert);
                position += insert.length();
            } else {
                int count = (Integer) component;
                if (count > 0) {
                    position += count;
                } else {
                    text.delete(position, position - count);
                }
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
