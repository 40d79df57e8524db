package io.coedit.ot;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Accumulates components into the canonical ot.js form, so that operations with the same effect compare equal and
 * serialize identically on the server and in the browser.
 *
 * <p>Canonical form (as ot.js {@code TextOperation.prototype.retain/insert/delete}): zero-length components are
 * dropped, adjacent components of the same kind are merged, and an insert that follows a delete is moved in front of
 * it (merging with an insert already there), so a delete is never directly followed by an insert.
 */
public final class OperationBuilder {

    /**
     * Integer &gt; 0 = retain, Integer &lt; 0 = delete, StringBuilder = insert: the JSON form, with inserts still
     * growing in place, so that joining n adjacent inserts costs O(n) and not O(n²).
     */
    private final List<Object> components = new ArrayList<>();

    private int baseLength;
    private int targetLength;

    OperationBuilder() {}

    /** Skips {@code count} code units; 0 is a no-op so callers need not special-case empty stretches. */
    public OperationBuilder retain(int count) {
        requireNonNegative(count, "retain");
        if (count == 0) {
            return this;
        }
        baseLength = add(baseLength, count);
        targetLength = add(targetLength, count);
        int last = components.size() - 1;
        if (last >= 0 && isRetain(components.get(last))) {
            components.set(last, (Integer) components.get(last) + count);
        } else {
            components.add(count);
        }
        return this;
    }

    /** Inserts {@code text} at the cursor; an empty string is a no-op. */
    public OperationBuilder insert(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            return this;
        }
        targetLength = add(targetLength, text.length());
        int last = components.size() - 1;
        if (last >= 0 && components.get(last) instanceof StringBuilder previous) {
            previous.append(text);
        } else if (last >= 0 && isDelete(components.get(last))) {
            // ot.js: insert before delete at the same position, so equal effects give equal operations
            if (last >= 1 && components.get(last - 1) instanceof StringBuilder previous) {
                previous.append(text);
            } else {
                components.add(last, new StringBuilder(text));
            }
        } else {
            components.add(new StringBuilder(text));
        }
        return this;
    }

    /** Deletes the next {@code count} code units (a positive count, unlike the negative JSON form). */
    public OperationBuilder delete(int count) {
        requireNonNegative(count, "delete");
        if (count == 0) {
            return this;
        }
        baseLength = add(baseLength, count);
        int last = components.size() - 1;
        if (last >= 0 && isDelete(components.get(last))) {
            components.set(last, (Integer) components.get(last) - count);
        } else {
            components.add(-count);
        }
        return this;
    }

    public TextOperation build() {
        List<Object> built = new ArrayList<>(components.size());
        for (Object component : components) {
            built.add(component instanceof StringBuilder text ? text.toString() : component);
        }
        return new TextOperation(List.copyOf(built), baseLength, targetLength);
    }

    static boolean isRetain(Object component) {
        return component instanceof Integer n && n > 0;
    }

    static boolean isDelete(Object component) {
        return component instanceof Integer n && n < 0;
    }

    private static void requireNonNegative(int count, String what) {
        if (count < 0) {
            throw new IllegalArgumentException(what + " expects a non-negative count, got " + count);
        }
    }

    private static int add(int total, int count) {
        try {
            return Math.addExact(total, count);
        } catch (ArithmeticException ex) {
            throw new InvalidOperationException(
                    InvalidOperationException.Reason.LENGTH_OUT_OF_RANGE,
                    "The operation is longer than " + Integer.MAX_VALUE + " characters");
        }
    }
}
