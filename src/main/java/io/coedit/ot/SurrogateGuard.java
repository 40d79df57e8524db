package io.coedit.ot;

import java.util.List;

import io.coedit.ot.InvalidOperationException.Reason;

/**
 * Positions count UTF-16 code units, so a careless client could cut an emoji in half and leave lone surrogates
 * that every later reader of the document trips over. This guard refuses such operations before they are applied.
 */
final class SurrogateGuard {

    private SurrogateGuard() {}

    /** Checks lengths first, then every cut and insert position against {@code doc}, in component order. */
    static void check(TextOperation operation, String doc) {
        if (doc.length() != operation.baseLength()) {
            throw new InvalidOperationException(
                    Reason.BASE_LENGTH_MISMATCH,
                    "The operation's base length " + operation.baseLength() + " differs from the document's length "
                            + doc.length());
        }
        List<Object> components = operation.components();
        int position = 0;
        for (int i = 0; i < components.size(); i++) {
            Object component = components.get(i);
            requireBoundary(doc, position, i);
            if (component instanceof String text) {
                requireWholeEnds(text, i);
            } else {
                position += Math.abs((Integer) component);
            }
        }
    }

    private static void requireBoundary(String doc, int position, int index) {
        if (position > 0
                && position < doc.length()
                && Character.isHighSurrogate(doc.charAt(position - 1))
                && Character.isLowSurrogate(doc.charAt(position))) {
            throw new InvalidOperationException(
                    Reason.SPLITS_SURROGATE_PAIR,
                    "Component " + index + " starts or ends at position " + position
                            + ", inside a surrogate pair of the document");
        }
    }

    private static void requireWholeEnds(String text, int index) {
        if (Character.isLowSurrogate(text.charAt(0))) {
            throw new InvalidOperationException(
                    Reason.SPLITS_SURROGATE_PAIR,
                    "Component " + index + " inserts text that starts with a lone low surrogate");
        }
        if (Character.isHighSurrogate(text.charAt(text.length() - 1))) {
            throw new InvalidOperationException(
                    Reason.SPLITS_SURROGATE_PAIR,
                    "Component " + index + " inserts text that ends with a lone high surrogate");
        }
    }
}
