package io.coedit.document;

import java.util.ArrayList;
import java.util.List;

import io.coedit.ot.JsonCursor;
import io.coedit.ot.TextOperation;

/**
 * Reads log entries, ops channel messages and JSON string literals ({@link LogEntryCodec}) without the mapper. A
 * receiving instance reads one ops channel message per op another instance committed; through the mapper (a
 * deserialization context, a record and a list of boxed components per message) that was 18% of its CPU samples at
 * 10,000 ops/s.
 *
 * <p>It reads JSON ({@link JsonCursor}), not only the text the codec writes: fields in any order, any whitespace and
 * escape the grammar allows; fields it does not know are skipped, so an entry a later version wrote with more fields
 * still reads. Anything else is refused with an {@link IllegalArgumentException} that says what was expected where:
 * text that is not JSON, a missing field, a revision that is not a whole number, a component that is neither a
 * string nor a number (the op's own rules are {@link TextOperation#fromComponents}'s), content after the closing
 * brace.
 */
final class LogEntryReader {

    private final JsonCursor json;

    private long rev = -1;
    private List<Object> components;
    private Author author;
    private String clientOpId;
    private String timestamp;
    private String origin;
    private String documentId;
    private String epoch;

    private LogEntryReader(String json) {
        this.json = new JsonCursor(json, "log entry");
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
        JsonCursor cursor = new JsonCursor(json, "string literal");
        String value = cursor.nullableString();
        cursor.end();
        return value;
    }

    private void readMessage() {
        json.expect('{');
        if (!json.closes('}')) {
            do {
                switch (json.name()) {
                    case "rev" -> rev = revision();
                    case "op" -> components = components();
                    case "author" -> author = author();
                    case "id" -> clientOpId = json.nullableString();
                    case "ts" -> timestamp = json.nullableString();
                    case "origin" -> origin = json.nullableString();
                    case "doc" -> documentId = json.nullableString();
                    case "epoch" -> epoch = json.nullableString();
                    default -> json.skipValue();
                }
            } while (json.continues('}'));
        }
        json.end();
    }

    private CommittedOp committedOp() {
        if (rev < 0) {
            throw json.malformed("a field \"rev\"", json.position());
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
            throw json.malformed("a field \"" + field + "\"", json.position());
        }
        return value;
    }

    private long revision() {
        int start = json.position();
        char next = json.peek();
        if (!(next >= '0' && next <= '9') || !(json.number() instanceof Long value)) {
            throw json.malformed("a revision (a whole number, 0 or more)", start);
        }
        return value;
    }

    private List<Object> components() {
        json.expect('[');
        List<Object> items = new ArrayList<>(4);
        if (!json.closes(']')) {
            do {
                char next = json.peek();
                if (next == '"') {
                    items.add(json.string());
                } else if (next == '-' || next >= '0' && next <= '9') {
                    items.add(json.number());
                } else {
                    throw json.malformed("an op component (a string or a number)", json.position());
                }
            } while (json.continues(']'));
        }
        return items;
    }

    private Author author() {
        String id = null;
        String name = null;
        json.expect('{');
        if (!json.closes('}')) {
            do {
                switch (json.name()) {
                    case "id" -> id = json.nullableString();
                    case "name" -> name = json.nullableString();
                    default -> json.skipValue();
                }
            } while (json.continues('}'));
        }
        return new Author(id, name);
    }
}
