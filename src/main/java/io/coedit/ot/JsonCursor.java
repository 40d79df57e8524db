package io.coedit.ot;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON text read by hand, value by value (RFC 8259), for the messages read once per op: client frames, relayed ops,
 * log entries. A mapper's tree or records, built and thrown away for each, cost more than the reading.
 *
 * <p>Whatever the text is not allowed to be is refused with a {@link MalformedJsonException} that says what was
 * expected where. As a mapper's parser does, it bounds what a hostile text could make it do: values nest at most
 * {@link #MAX_DEPTH} deep, and a number has at most {@link #MAX_NUMBER_LENGTH} characters.
 */
public final class JsonCursor {

    /** How deep arrays and objects may nest (Jackson's default limit). */
    public static final int MAX_DEPTH = 500;

    /** The longest number read, in characters (Jackson's default limit). */
    public static final int MAX_NUMBER_LENGTH = 1000;

    /** A long has up to 19 digits; the ones with fewer always fit. */
    private static final int ALWAYS_LONG_DIGITS = 18;

    private final String json;
    private final String subject;
    private final int length;
    private int at;

    /** @param subject what the text is, for the errors: "Malformed {subject}: expected ..." */
    public JsonCursor(String json, String subject) {
        this.json = json;
        this.subject = subject;
        this.length = json.length();
    }

    /** The text is not what was expected at some point. */
    public static final class MalformedJsonException extends IllegalArgumentException {
        private MalformedJsonException(String message) {
            super(message);
        }
    }

    /** The next character after whitespace, or 0 at the end. */
    public char peek() {
        int start = skipSpace();
        return start < length ? json.charAt(start) : 0;
    }

    /** Past {@code c}, after whitespace, or refused. */
    public void expect(char c) {
        int start = skipSpace();
        if (start >= length || json.charAt(start) != c) {
            throw malformed("'" + c + "'", start);
        }
        at = start + 1;
    }

    /** Right after an opening bracket: whether the container is empty, past its {@code close} if so. */
    public boolean closes(char close) {
        int start = skipSpace();
        if (start < length && json.charAt(start) == close) {
            at = start + 1;
            return true;
        }
        return false;
    }

    /** After a member: true past a comma, false past the {@code close}, refused otherwise. */
    public boolean continues(char close) {
        int start = skipSpace();
        char next = start < length ? json.charAt(start) : 0;
        if (next == ',' || next == close) {
            at = start + 1;
            return next == ',';
        }
        throw malformed("',' or '" + close + "'", start);
    }

    /** Refuses anything but whitespace after the value read. */
    public void end() {
        if (skipSpace() != length) {
            throw malformed("nothing after the value", at);
        }
    }

    /** An object member's name and its colon. */
    public String name() {
        String name = string();
        expect(':');
        return name;
    }

    /** A string, or {@code null} for {@code null}. */
    public String nullableString() {
        int start = skipSpace();
        if (json.startsWith("null", start)) {
            at = start + 4;
            return null;
        }
        return string();
    }

    /** A string's value; its escapes give UTF-16 code units as they are, a lone surrogate included. */
    public String string() {
        int start = skipSpace();
        if (start >= length || json.charAt(start) != '"') {
            throw malformed("a string", start);
        }
        at = start + 1;
        while (at < length) {
            char c = json.charAt(at);
            if (c == '"') {
                return json.substring(start + 1, at++);
            }
            if (c == '\\') {
                return escapedString(start + 1);
            }
            if (c < 0x20) {
                throw malformed("no control character in a string", at);
            }
            at++;
        }
        throw malformed("the string's closing quote", length);
    }

    /** The rest of a string from its first backslash, at {@link #at}. */
    private String escapedString(int contentStart) {
        StringBuilder out = new StringBuilder(at - contentStart + 16).append(json, contentStart, at);
        while (at < length) {
            char c = json.charAt(at++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw malformed("no control character in a string", at - 1);
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (at >= length) {
                break;
            }
            char escape = json.charAt(at++);
            switch (escape) {
                case '"', '\\', '/' -> out.append(escape);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(codeUnit());
                default -> throw malformed("an escape (one of \"\\/bfnrtu)", at - 1);
            }
        }
        throw malformed("the string's closing quote", length);
    }

    private char codeUnit() {
        if (at + 4 > length) {
            throw malformed("four hex digits", at);
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(json.charAt(at + i), 16);
            if (digit < 0) {
                throw malformed("four hex digits", at + i);
            }
            value = value << 4 | digit;
        }
        at += 4;
        return (char) value;
    }

    /**
     * A number: a {@link Long} when it is written without a fraction or exponent and fits one, a {@link BigDecimal}
     * when it is such a whole number too large for a long, a {@link Double} when it has a fraction or an exponent
     * ({@code 3.0} and {@code 1e2} included, as a mapper reads them: whether those count as whole is the caller's
     * rule; one beyond a double's range is infinite).
     */
    public Number number() {
        int start = skipSpace();
        if (at < length && json.charAt(at) == '-') {
            at++;
        }
        int digitsStart = at;
        if (at < length && json.charAt(at) == '0') {
            at++;
        } else {
            skipDigits();
        }
        if (at == digitsStart) {
            throw malformed("a number", start);
        }
        int digits = at - digitsStart;
        boolean plain = true;
        if (at < length && json.charAt(at) == '.') {
            at++;
            plain = false;
            requireDigits();
        }
        if (at < length && (json.charAt(at) == 'e' || json.charAt(at) == 'E')) {
            at++;
            plain = false;
            if (at < length && (json.charAt(at) == '+' || json.charAt(at) == '-')) {
                at++;
            }
            requireDigits();
        }
        if (at - start > MAX_NUMBER_LENGTH) {
            throw malformed("a number of at most " + MAX_NUMBER_LENGTH + " characters", start);
        }
        if (plain && digits <= ALWAYS_LONG_DIGITS) {
            // every revision and component: read in place, no string for it
            return Long.parseLong(json, start, at, 10);
        }
        String text = json.substring(start, at);
        if (!plain) {
            return Double.parseDouble(text);
        }
        BigDecimal value = new BigDecimal(text);
        return value.toBigInteger().bitLength() < Long.SIZE ? (Number) value.longValueExact() : value;
    }

    private void requireDigits() {
        int start = at;
        skipDigits();
        if (at == start) {
            throw malformed("a digit", at);
        }
    }

    private void skipDigits() {
        while (at < length && json.charAt(at) >= '0' && json.charAt(at) <= '9') {
            at++;
        }
    }

    /**
     * Any value, as plain Java: {@link String}, a number as {@link #number}, {@link Boolean}, {@code null}, a
     * {@link List} or a {@link Map} (members in order; a repeated name keeps its last value).
     */
    public Object value() {
        return value(0);
    }

    private Object value(int depth) {
        int start = skipSpace();
        char next = start < length ? json.charAt(start) : 0;
        switch (next) {
            case '"':
                return string();
            case '{': {
                requireDepth(depth, start);
                at++;
                Map<String, Object> members = new LinkedHashMap<>();
                if (!closes('}')) {
                    do {
                        String name = name();
                        members.put(name, value(depth + 1));
                    } while (continues('}'));
                }
                return members;
            }
            case '[': {
                requireDepth(depth, start);
                at++;
                List<Object> items = new ArrayList<>();
                if (!closes(']')) {
                    do {
                        items.add(value(depth + 1));
                    } while (continues(']'));
                }
                return items;
            }
            case 't':
                literal("true");
                return Boolean.TRUE;
            case 'f':
                literal("false");
                return Boolean.FALSE;
            case 'n':
                literal("null");
                return null;
            default:
                return number();
        }
    }

    /** Reads past any value without keeping it. */
    public void skipValue() {
        skipValue(0);
    }

    private void skipValue(int depth) {
        int start = skipSpace();
        char next = start < length ? json.charAt(start) : 0;
        if (next == '{') {
            requireDepth(depth, start);
            at++;
            if (!closes('}')) {
                do {
                    name();
                    skipValue(depth + 1);
                } while (continues('}'));
            }
        } else if (next == '[') {
            requireDepth(depth, start);
            at++;
            if (!closes(']')) {
                do {
                    skipValue(depth + 1);
                } while (continues(']'));
            }
        } else {
            value(depth);
        }
    }

    private void requireDepth(int depth, int where) {
        if (depth >= MAX_DEPTH) {
            throw malformed("no value nested more than " + MAX_DEPTH + " deep", where);
        }
    }

    private void literal(String word) {
        if (!json.startsWith(word, at)) {
            throw malformed(word, at);
        }
        at += word.length();
    }

    /** Skips JSON whitespace; returns where it stopped. */
    private int skipSpace() {
        while (at < length) {
            char c = json.charAt(at);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                break;
            }
            at++;
        }
        return at;
    }

    /** An error for what the text lacks at {@code where}, for a caller's own checks as well. */
    public MalformedJsonException malformed(String expected, int where) {
        return new MalformedJsonException(
                "Malformed " + subject + ": expected " + expected + " at character " + where + " of " + length);
    }

    /** Where the next value starts, after whitespace: for {@link #malformed}. */
    public int position() {
        return skipSpace();
    }
}
