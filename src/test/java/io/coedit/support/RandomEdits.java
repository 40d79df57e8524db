package io.coedit.support;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import io.coedit.ot.OperationBuilder;
import io.coedit.ot.TextOperation;

/**
 * Seeded random documents and edits for every test that needs them: whole-document operations for the OT property
 * tests (mirroring ot.js's own randomOperation helper) and small single edits for the clients of the integration
 * tests. They cut only between code points, so emoji (surrogate pairs) survive every edit, except
 * {@link #anyCutOperation}, which tests the guard.
 */
public final class RandomEdits {

    /** ASCII, BMP letters, a combining mark and astral characters, which are two UTF-16 code units each. */
    private static final String[] ALPHABET = {
        "a", "b", "c", "x", "y", " ", "\n", "é", "ß", "Ω", "中", "文", "\u0301", "😀", "🎉", "👍", "🚀", "𝔸", "🇩", "🇪"
    };

    /** Inserts that are only half an emoji at one end. */
    private static final String[] LONE_HALVES = {"\uD83D", "\uDE00", "x\uD83D", "\uDE00x", "\uDE00\uD83D"};

    /** What a user types or deletes in one go. */
    private static final String[] SNIPPETS = {"a", "b", "hello", " ", "\n", "é", "😀", "中文", "x😀y"};

    private final Random random;

    public RandomEdits(long seed) {
        this(new Random(seed));
    }

    public RandomEdits(Random random) {
        this.random = random;
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** Mostly short documents, sometimes empty, since the edge cases live at the ends. */
    public String doc() {
        return text(random.nextInt(5) == 0 ? random.nextInt(3) : random.nextInt(40));
    }

    public String text(int codePoints) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < codePoints; i++) {
            out.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return out.toString();
    }

    /** A random operation applicable to {@code doc} that never cuts a surrogate pair. */
    public TextOperation operation(String doc) {
        int[] codePoints = doc.codePoints().toArray();
        OperationBuilder builder = TextOperation.builder();
        int index = 0;
        int position = 0;
        while (index < codePoints.length) {
            int count = 1 + random.nextInt(Math.min(codePoints.length - index, 20));
            double kind = random.nextDouble();
            if (kind < 0.2) {
                builder.insert(text(count));
                continue;
            }
            int units = doc.offsetByCodePoints(position, count) - position;
            if (kind < 0.4) {
                builder.delete(units);
            } else {
                builder.retain(units);
            }
            index += count;
            position += units;
        }
        if (random.nextDouble() < 0.3) {
            builder.insert(text(1 + random.nextInt(10)));
        }
        return builder.build();
    }

    /** A random operation that cuts anywhere, including inside surrogate pairs, for testing the guard. */
    public TextOperation anyCutOperation(String doc) {
        OperationBuilder builder = TextOperation.builder();
        int position = 0;
        while (position < doc.length()) {
            int units = 1 + random.nextInt(Math.min(doc.length() - position, 4));
            double kind = random.nextDouble();
            if (kind < 0.2) {
                builder.insert(
                        random.nextInt(8) == 0
                                ? LONE_HALVES[random.nextInt(LONE_HALVES.length)]
                                : text(1 + random.nextInt(2)));
                continue;
            }
            if (kind < 0.5) {
                builder.delete(units);
            } else {
                builder.retain(units);
            }
            position += units;
        }
        return builder.build();
    }

    /**
     * The same edit in a non-canonical JSON form: runs split into pieces (inserts between code points) and
     * deletes moved in front of the inserts at their position, as a sloppy client might send it.
     */
    public List<Object> scrambledComponents(TextOperation operation) {
        List<Object> out = new ArrayList<>();
        for (Object component : operation.toComponents()) {
            if (component instanceof String text) {
                int cut = random.nextInt(text.codePointCount(0, text.length()) + 1);
                int at = text.offsetByCodePoints(0, cut);
                addIfNotEmpty(out, text.substring(0, at));
                addIfNotEmpty(out, text.substring(at));
                continue;
            }
            int count = (Integer) component;
            int piece = 1 + random.nextInt(Math.abs(count));
            out.add(Integer.signum(count) * piece);
            if (piece != Math.abs(count)) {
                out.add(count - Integer.signum(count) * piece);
            }
        }
        for (int i = 0; i + 1 < out.size(); i++) {
            if (out.get(i) instanceof String && out.get(i + 1) instanceof Integer n && n < 0 && random.nextBoolean()) {
                out.add(i, out.remove(i + 1)); // delete-then-insert has the same effect
            }
        }
        return out;
    }

    /** One small edit of {@code text}: an insert (most often) or a delete of a few characters. */
    public TextOperation smallEdit(String text) {
        int pos = boundary(text, random.nextInt(text.length() + 1));
        if (text.isEmpty() || random.nextInt(3) > 0) {
            String insert = SNIPPETS[random.nextInt(SNIPPETS.length)];
            return TextOperation.builder()
                    .retain(pos)
                    .insert(insert)
                    .retain(text.length() - pos)
                    .build();
        }
        int end = boundary(text, Math.min(text.length(), pos + 1 + random.nextInt(4)));
        if (end <= pos) {
            return TextOperation.builder().retain(text.length()).insert("z").build();
        }
        return TextOperation.builder()
                .retain(pos)
                .delete(end - pos)
                .retain(text.length() - end)
                .build();
    }

    private static int boundary(String text, int index) {
        if (index > 0
                && index < text.length()
                && Character.isLowSurrogate(text.charAt(index))
                && Character.isHighSurrogate(text.charAt(index - 1))) {
            return index - 1;
        }
        return index;
    }

    private static void addIfNotEmpty(List<Object> out, String text) {
        if (!text.isEmpty()) {
            out.add(text);
        }
    }

    /**
     * Oracle for the surrogate guard, written differently from it: collects the code point boundaries of
     * {@code doc} by walking its code points, then looks for a cut off them or an insert with a lone surrogate end.
     */
    public static boolean splitsSurrogatePair(TextOperation operation, String doc) {
        Set<Integer> boundaries = new HashSet<>();
        int at = 0;
        boundaries.add(0);
        for (int codePoint : doc.codePoints().toArray()) {
            at += Character.charCount(codePoint);
            boundaries.add(at);
        }
        int position = 0;
        for (Object component : operation.toComponents()) {
            if (!boundaries.contains(position)) {
                return true;
            }
            if (component instanceof String text) {
                int first = text.codePointAt(0);
                int last = text.codePointBefore(text.length());
                if (Character.isLowSurrogate((char) first) && first <= 0xFFFF
                        || Character.isHighSurrogate((char) last) && last <= 0xFFFF) {
                    return true;
                }
            } else {
                position += Math.abs((Integer) component);
            }
        }
        return false;
    }
}
