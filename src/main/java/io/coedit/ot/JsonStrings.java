package io.coedit.ot;

/**
 * JSON string literals written by hand, for the messages written once per op (log entries, acks, op frames), where a
 * mapper's per-call setup cost more than the writing. They come out as Jackson writes them (short escapes for
 * backspace, tab, newline, form feed and carriage return, {@code \\uXXXX} in upper case for the other control
 * characters), with two additions: code units above {@code highestRaw} are escaped too, and a lone surrogate is
 * always escaped, since it has no UTF-8 encoding and would reach the other side as {@code ?}.
 */
public final class JsonStrings {

    /** Every code unit JSON allows raw is written raw. */
    public static final char ALL_RAW = '\uFFFF';

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private JsonStrings() {}

    /** Appends {@code text} as a JSON string literal ({@code null} for null). */
    public static StringBuilder append(StringBuilder out, String text, char highestRaw) {
        if (text == null) {
            return out.append("null");
        }
        out.append('"');
        int length = text.length();
        int rawFrom = 0;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= 0x20
                    && c != '"'
                    && c != '\\'
                    && c <= highestRaw
                    && (!Character.isSurrogate(c) || paired(text, i))) {
                continue;
            }
            out.append(text, rawFrom, i);
            escape(out, c);
            rawFrom = i + 1;
        }
        return out.append(text, rawFrom, length).append('"');
    }

    private static boolean paired(String text, int i) {
        char c = text.charAt(i);
        return Character.isHighSurrogate(c)
                ? i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }

    private static void escape(StringBuilder out, char c) {
        switch (c) {
            case '"' -> out.append("\\\"");
            case '\\' -> out.append("\\\\");
            case '\b' -> out.append("\\b");
            case '\t' -> out.append("\\t");
            case '\n' -> out.append("\\n");
            case '\f' -> out.append("\\f");
            case '\r' -> out.append("\\r");
            default ->
                out.append("\\u")
                        .append(HEX[c >> 12])
                        .append(HEX[(c >> 8) & 0xF])
                        .append(HEX[(c >> 4) & 0xF])
                        .append(HEX[c & 0xF]);
        }
    }
}
