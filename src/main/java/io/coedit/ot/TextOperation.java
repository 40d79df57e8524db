package io.coedit.ot;

import java.util.ArrayList;
import java.util.List;

import io.coedit.ot.InvalidOperationException.Reason;

/**
 * An immutable plain-text edit with the semantics and canonical form of ot.js ({@code ot} on npm,
 * lib/text-operation.js), so that the server and the browser client compute identical operations.
 *
 * <p>JSON form: a list whose items are a positive integer n (retain n), a non-empty string (insert it) or a negative
 * integer -n (delete n), e.g. {@code [3, "abc", -2, 5]}. Positions and lengths count UTF-16 code units, i.e. Java's
 * {@link String#length()} and JavaScript's {@code string.length}. Build instances with {@link #builder()} or
 * {@link #fromComponents(List)}; both yield the canonical form described in {@link OperationBuilder}.
 */
public final class TextOperation {

    private static final TextOperation EMPTY = new TextOperation(List.of(), 0, 0);

    /** Canonical components in JSON form; unmodifiable. */
    private final List<Object> components;

    private final int baseLength;
    private final int targetLength;

    TextOperation(List<Object> components, int baseLength, int targetLength) {
        this.components = components;
        this.baseLength = baseLength;
        this.targetLength = targetLength;
    }

    public static OperationBuilder builder() {
        return new OperationBuilder();
    }

    /** The operation that changes nothing in a document of {@code length} code units. */
    public static TextOperation identity(int length) {
        return length == 0 ? EMPTY : builder().retain(length).build();
    }

    /**
     * Parses the JSON form, e.g. what a JSON library produced for {@code [3, "abc", -2]}. Numbers may be any integral
     * {@link Number} (including {@code 3.0}); the result is canonical even if the input was not.
     *
     * @throws InvalidOperationException {@code WRONG_COMPONENT_TYPE}, {@code ZERO_LENGTH_COMPONENT} or
     *                                   {@code LENGTH_OUT_OF_RANGE}, for the first bad component
     */
    public static TextOperation fromComponents(List<?> items) {
        return ComponentParser.parse(items);
    }

    /** The canonical JSON form: a fresh mutable list of {@link Integer} and {@link String} items. */
    public List<Object> toComponents() {
        return new ArrayList<>(components);
    }

    /** The components, immutable: for the algorithms and for callers that only look, which must not pay for a copy. */
    public List<Object> components() {
        return components;
    }

    /** Length of every document this operation can be applied to. */
    public int baseLength() {
        return baseLength;
    }

    /** Length of the document after applying this operation. */
    public int targetLength() {
        return targetLength;
    }

    /** True if applying this operation leaves every document unchanged (ot.js: no components, or one retain). */
    public boolean isNoop() {
        return components.isEmpty() || components.size() == 1 && OperationBuilder.isRetain(components.get(0));
    }

    /**
     * Checks that this operation can be applied to {@code doc} without corrupting it: the lengths match and no
     * retain/delete boundary or insert falls inside a surrogate pair, nor does an inserted string start with a lone
     * low surrogate or end with a lone high surrogate. The server should call this against the document at the
     * revision the client based the operation on, since that is the text the client actually saw.
     *
     * @throws InvalidOperationException {@code BASE_LENGTH_MISMATCH} or {@code SPLITS_SURROGATE_PAIR}
     */
    public void validateAgainst(String doc) {
        SurrogateGuard.check(this, doc);
    }

    /**
     * Applies this operation to {@code doc}, after {@link #validateAgainst(String)}.
     *
     * @throws InvalidOperationException {@code BASE_LENGTH_MISMATCH} or {@code SPLITS_SURROGATE_PAIR}
     */
    public String apply(String doc) {
        validateAgainst(doc);
        // getChars copies a range with one array copy (or one inflate); StringBuilder.append(doc, start, end) goes
        // char by char on Java 17, which made apply the largest cost of editing a long document
        char[] result = new char[targetLength];
        int written = 0;
        int position = 0;
        for (Object component : components) {
            if (component instanceof String text) {
                text.getChars(0, text.length(), result, written);
                written += text.length();
            } else {
                int count = (Integer) component;
                if (count > 0) {
                    doc.getChars(position, position + count, result, written);
                    written += count;
                }
                position += Math.abs(count);
            }
        }
        return new String(result);
    }

    /**
     * The operation that undoes this one, for undo; {@code doc} is the document this operation was applied to,
     * which supplies the deleted text to re-insert.
     *
     * @throws InvalidOperationException {@code BASE_LENGTH_MISMATCH}
     */
    public TextOperation invert(String doc) {
        if (doc.length() != baseLength) {
            throw new InvalidOperationException(
                    Reason.BASE_LENGTH_MISMATCH,
                    "Cannot invert: the document's length " + doc.length()
                            + " differs from the operation's base length " + baseLength);
        }
        OperationBuilder inverse = builder();
        int position = 0;
        for (Object component : components) {
            if (component instanceof String text) {
                inverse.delete(text.length());
            } else {
                int count = (Integer) component;
                if (count > 0) {
                    inverse.retain(count);
                } else {
                    inverse.insert(doc.substring(position, position - count));
                }
                position += Math.abs(count);
            }
        }
        return inverse.build();
    }

    /**
     * One operation with the effect of {@code first} followed by {@code second}: {@code apply(apply(s, first),
     * second)} equals {@code apply(s, compose(first, second))}.
     *
     * @throws InvalidOperationException {@code BASE_LENGTH_MISMATCH} if {@code second.baseLength() !=
     *                                   first.targetLength()}
     */
    public static TextOperation compose(TextOperation first, TextOperation second) {
        return Composer.compose(first, second);
    }

    /** {@code compose(this, next)}, the ot.js spelling. */
    public TextOperation compose(TextOperation next) {
        return Composer.compose(this, next);
    }

    /**
     * Rebases two concurrent operations on the same document onto each other: returns (a', b') such that
     * {@code apply(apply(s, a), b') == apply(apply(s, b), a')}, as ot.js's {@code TextOperation.transform(a, b)}.
     *
     * <p><b>Argument order matters.</b> When both insert at the same position, {@code a}'s text ends up first. The
     * Coedit server therefore passes the operation it has already applied (from its history) as {@code a} and the
     * incoming client operation as {@code b}, and uses {@code second()}; a client must transform with the same
     * roles (the server's operation first) or the two sides diverge on such ties. Note that ot.js's own
     * server.js/client.js use the opposite roles (the client's operation first).
     *
     * @throws InvalidOperationException {@code BASE_LENGTH_MISMATCH} if the base lengths differ
     */
    public static TransformedPair transform(TextOperation a, TextOperation b) {
        return Transformer.transform(a, b);
    }

    @Override
    public boolean equals(Object other) {
        return this == other || other instanceof TextOperation that && components.equals(that.components);
    }

    @Override
    public int hashCode() {
        return components.hashCode();
    }

    /** The JSON form, e.g. {@code [3,"abc",-2]}, with lone surrogates and control characters escaped. */
    @Override
    public String toString() {
        return appendJson(new StringBuilder(), JsonStrings.ALL_RAW).toString();
    }

    /** Appends the JSON form, with code units above {@code highestRaw} escaped as well ({@link JsonStrings}). */
    public StringBuilder appendJson(StringBuilder out, char highestRaw) {
        out.append('[');
        for (int i = 0; i < components.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            Object component = components.get(i);
            if (component instanceof String text) {
                JsonStrings.append(out, text, highestRaw);
            } else {
                out.append(component);
            }
        }
        return out.append(']');
    }
}
