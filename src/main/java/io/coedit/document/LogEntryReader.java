package io.coedit.document;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import io.coedit.ot.TextOperation;

/**
 * Reads log entries, ops channel messages and JSON string literals ({@link LogEntryCodec}) without the mapper. A
 * receiving instance reads one ops channel message per op another instance committed; through the mapper (a
 * deserialization context, a record and a list of boxed components per message) that was 18% of its CPU samples at
 * 10,000 ops/s.
 *
 * <p>It reads JSON, not only the text the codec writes: fields in any order, any whitespace and escape the grammar
 * allows; fields it does not know are skipped, so an entry a later version wrote with more fields still reads.
 * Anything else is refused with an {@link IllegalArgumentException} that says what was expected where: text that is
 * not JSON, a missing field, a revision that is not a whole number, a component that is neither a string nor a
 * number (the op's own rules are {@link TextOperation#fromComponents}'s), content after the closing brace.
 */
final class LogEntryReader {

    /** Deeper than any entry is written; bounds the recursion when skipping an unknown field's value. */
    private static final int MAX_DEPTH = 32;

    /** Whole numbers of up to 18 digits fit a long; longer ones are read as {@link BigDecimal}. */
    private static final int LONG_DIGITS = 18;

    private final String json;
    private final int length;
    private int at;

    private long rev = -1;
    private List<Object> components;
    private Author author;
    private String clientOpId;
    private String timestamp;
    private String origin;
    private String documentId;
    private String epoch;

    private LogEntryReader(String json) {
        this.json = json;
        this.length = json.length();
    }

    /** A log entry: {@code {"rev":..,"op":[..],"author":{"id":..,"name":..},"id":..,"ts":..}}. */
    static CommittedOp entry(String json) {
        LogEntryReader reader = new LogEntryReader(json);
        reader.readMessage();
        return reader.committedOp();
    }

    /** An ops channel message: a log entry's fields after {@code "origin"}, {@code "doc"} and {@code "epoch"}. */
    static LogEntryCodec.PublishedOp published(String json) {
        LogEntryReader reader = new LogEntryReader(json);
        reader.readMessage();
        return new LogEntryCodec.PublishedOp(
                reader.required(reader.origin, "origin"),
                new DocumentId(reader.required(reader.documentId, "doc")),
                reader.required(reader.epoch, "epoch"),
                reader.committedOp());
    }

    /** A JSON string literal ({@code null} for {@code null}). */
    static String string(String json) {
        LogEntryReader reader = new LogEntryReader(json);
        String value = reader.nullableString();
        reader.end();
        return value;
    }

    private void readMessage() {
        expect('{');
        if (!closes('}')) {
            do {
                String name = string();
                expect(':');
                switch (name) {
                    case "rev" -> rev = revision();
                    case "op" -> components = components();
                    case "author" -> author = author();
                    case "id" -> clientOpId = nullableString();
                    case "ts" -> timestamp = nullableString();
                    case "origin" -> origin = nullableString();
                    case "doc" -> documentId = nullableString();
                    case "epoch" -> epoch = nullableString();
                    default -> skipValue(0);
                }
            } while (continues('}'));
        }
        end();
    }

    private CommittedOp committedOp() {
        if (rev < 0) {
            throw malformed("a field \"rev\"", length);
        }
        return new CommittedOp(
                rev,
                TextOperation.fromComponents(required(components, "op")),
                required(author, "author"),
                clientOpId,
                InstantText.parse(required(timestamp, "ts")));
    }

    private <T> T required(T value, String field) {
        if (value == null) {
            throw malformed("a field \"" + field + "\"", length);
        }
        return value;
    }

    private long revision() {
        int start = skipSpace();
        char next = start < length ? json.charAt(start) : 0;
        if (!(next >= '0' && next <= '9') || !(number() instanceof Long value)) {
            throw malformed("a revision (a whole number, 0 or more)", start);
        }
        return value;
    }

    private List<Object> components() {
        expect('[');
        List<Object> items = new ArrayList<>(4);
        if (!closes(']')) {
            do {
                int start = skipSpace();
                char next = start < length ? json.charAt(start) : 0;
                if (next == '"') {
                    items.add(string());
                } else if (next == '-' || next >= '0' && next <= '9') {
                    items.add(number());
                } else {
                    throw malformed("an op component (a string or a number)", start);
                }
            } while (continues(']'));
        }
        return items;
    }

    private Author author() {
        String id = null;
        String name = null;
        expect('{');
        if (!closes('}')) {
            do {
                String field = string();
                expect(':');
                switch (field) {
                    case "id" -> id = nullableString();
                    case "name" -> name = nullableString();
                    default -> skipValue(1);
                }
            } while (continues('}'));
        }
        return new Author(id, name);
    }

    private String nullableString() {
        int start = skipSpace();
        if (json.startsWith("null", start)) {
            at = start + 4;
            return null;
        }
        return string();
    }

    private String string() {
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

    /** The four hex digits of a {@code \}{@code u} escape: one UTF-16 code unit, a lone surrogate included. */
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

    /** A JSON number: a {@link Long} when it is a whole number of up to 18 digits, a {@link BigDecimal} otherwise. */
    private Number number() {
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
        boolean whole = true;
        if (at < length && json.charAt(at) == '.') {
            at++;
            whole = false;
            requireDigits();
        }
        if (at < length && (json.charAt(at) == 'e' || json.charAt(at) == 'E')) {
            at++;
            whole = false;
            if (at < length && (json.charAt(at) == '+' || json.charAt(at) == '-')) {
                at++;
            }
            requireDigits();
        }
        String text = json.substring(start, at);
        return whole && at - digitsStart <= LONG_DIGITS ? (Number) Long.parseLong(text) : new BigDecimal(text);
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

    private void skipValue(int depth) {
        if (depth >= MAX_DEPTH) {
            throw malformed("no value nested deeper than " + MAX_DEPTH, at);
        }
        int start = skipSpace();
        char next = start < length ? json.charAt(start) : 0;
        switch (next) {
            case '"' -> string();
            case '{' -> {
                at++;
                if (!closes('}')) {
                    do {
                        string();
                        expect(':');
                        skipValue(depth + 1);
                    } while (continues('}'));
                }
            }
            case '[' -> {
                at++;
                if (!closes(']')) {
                    do {
                        skipValue(depth + 1);
                    } while (continues(']'));
                }
            }
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        }
    }

    private void literal(String word) {
        if (!json.startsWith(word, at)) {
            throw malformed(word, at);
        }
        at += word.length();
    }

    /** Past the opening {@code c}, or refused. */
    private void expect(char c) {
        int start = skipSpace();
        if (start >= length || json.charAt(start) != c) {
            throw malformed("'" + c + "'", start);
        }
        at = start + 1;
    }

    /** Right after an opening bracket: whether the container is empty, past its {@code close} if so. */
    private boolean closes(char close) {
        int start = skipSpace();
        if (start < length && json.charAt(start) == close) {
            at = start + 1;
            return true;
        }
        return false;
    }

    /** After a member: true past a comma, false past the {@code close}, refused otherwise. */
    private boolean continues(char close) {
        int start = skipSpace();
        char next = start < length ? json.charAt(start) : 0;
        if (next == ',' || next == close) {
            at = start + 1;
            return next == ',';
        }
        throw malformed("',' or '" + close + "'", start);
    }

    private void end() {
        if (skipSpace() != length) {
            throw malformed("the end after the closing brace", at);
        }
    }

    /** Skips JSON whitespace; returns where it stopped, also {@link #at}. */
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

    private IllegalArgumentException malformed(String expected, int where) {
        return new IllegalArgumentException(
                "Malformed log entry: expected " + expected + " at character " + where + " of " + length);
    }
}
