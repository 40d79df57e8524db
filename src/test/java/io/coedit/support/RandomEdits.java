package io.coedit.support;

import java.util.Random;

import io.coedit.ot.TextOperation;

/** Random edits (inserts, deletes, emoji) that never split a surrogate pair. */
public final class RandomEdits {

    private static final String[] SNIPPETS = {"a", "b", "hello", " ", "\n", "é", "😀", "中文", "x😀y"};

    private RandomEdits() {
    }

    public static TextOperation operation(Random random, String text) {
        int pos = boundary(text, random.nextInt(text.length() + 1));
        if (text.isEmpty() || random.nextInt(3) > 0) {
            String insert = SNIPPETS[random.nextInt(SNIPPETS.length)];
            return TextOperation.builder().retain(pos).insert(insert).retain(text.length() - pos).build();
        }
        int end = boundary(text, Math.min(text.length(), pos + 1 + random.nextInt(4)));
        if (end <= pos) {
            return TextOperation.builder().retain(text.length()).insert("z").build();
        }
        return TextOperation.builder().retain(pos).delete(end - pos).retain(text.length() - end).build();
    }

    private static int boundary(String text, int index) {
        if (index > 0 && index < text.length() && Character.isLowSurrogate(text.charAt(index))
                && Character.isHighSurrogate(text.charAt(index - 1))) {
            return index - 1;
        }
        return index;
    }
}
