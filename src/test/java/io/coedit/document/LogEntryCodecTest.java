package io.coedit.document;

import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

import io.coedit.ot.OperationBuilder;
import io.coedit.ot.TextOperation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Log entries and ops channel messages are written by hand; stored entries and those of older instances are read
 * by the mapper, so the hand-written text must be exactly what the mapper writes, and read back to the same op.
 */
class LogEntryCodecTest {

    /** How entries were written before: the codec's mapper settings, and its records. */
    private static final JsonMapper REFERENCE = JsonMapper.builder(
                    JsonFactory.builder().highestNonEscapedChar(0xD7FF).build())
            .build();

    /** A log entry as the mapper wrote it; {@code ts} is ISO-8601. */
    private record Entry(long rev, List<Object> op, Author author, String id, String ts) {}

    private record Published(
            String origin, String doc, String epoch, long rev, List<Object> op, Author author, String id, String ts) {}

    /** Code units a writer could send: ASCII, what JSON escapes, other planes and both halves of surrogate pairs. */
    private static final char[] UNITS = {
        'a', 'Z', '0', ' ', '"', '\\', '/', '\b', '\t', '\n', '\f', '\r', '\u0000', '\u001F', '\u007F', 'é', '€',
        '\uD7FF', '\uE000', '\uFFFD', '\uFFFF', '\uD83D', '\uDE00'
    };

    private final LogEntryCodec codec = new LogEntryCodec();
    private final Random random = new Random(20261205);

    private String text(int maxLength) {
        char[] chars = new char[random.nextInt(maxLength + 1)];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = UNITS[random.nextInt(UNITS.length)];
        }
        return new String(chars);
    }

    private CommittedOp anOp() {
        String before = "x".repeat(random.nextInt(4));
        OperationBuilder builder = TextOperation.builder().retain(before.length());
        String insert = text(12);
        if (insert.isEmpty()) {
            insert = "\"";
        }
        builder.insert(insert);
        if (random.nextBoolean()) {
            builder.delete(1);
        }
        return new CommittedOp(
                1 + random.nextInt(1_000_000),
                builder.build(),
                new Author(text(6), random.nextInt(10) == 0 ? null : text(6)),
                text(8) + ":" + random.nextInt(100),
                Instant.ofEpochSecond(1_700_000_000L + random.nextInt(1_000_000), random.nextInt(1_000_000_000)));
    }

    @Test
    void anEntryIsWhatTheMapperWroteAndReadsBackToTheSameOp() {
        for (int i = 0; i < 2_000; i++) {
            CommittedOp op = anOp();
            String written = codec.encode(op);
            assertThat(written)
                    .isEqualTo(REFERENCE.writeValueAsString(new Entry(
                            op.rev(),
                            op.op().toComponents(),
                            op.author(),
                            op.clientOpId(),
                            op.timestamp().toString())));
            assertThat(written).matches("[\\x20-\\uD7FF]*");
            assertThat(codec.decode(written)).isEqualTo(op);
        }
    }

    @Test
    void aStringLiteralIsWhatTheMapperWroteSoStoredOpKeysStillMatch() {
        for (int i = 0; i < 2_000; i++) {
            String text = text(10);
            assertThat(codec.encodeString(text)).isEqualTo(REFERENCE.writeValueAsString(text));
            assertThat(codec.decodeString(codec.encodeString(text))).isEqualTo(text);
        }
        assertThat(codec.encodeString(null)).isEqualTo("null");
    }

    @Test
    void aPublishedMessageIsWhatTheMapperWroteAndReadsBackToTheSameOp() {
        for (int i = 0; i < 500; i++) {
            CommittedOp op = anOp();
            String origin = text(5);
            DocumentId doc = new DocumentId("doc-" + i);
            String written = codec.encodePublished(origin, doc, "epoch\u00E9", op);
            assertThat(written)
                    .isEqualTo(REFERENCE.writeValueAsString(new Published(
                            origin,
                            doc.value(),
                            "epoch\u00E9",
                            op.rev(),
                            op.op().toComponents(),
                            op.author(),
                            op.clientOpId(),
                            op.timestamp().toString())));
            assertThat(codec.decodePublished(written))
                    .isEqualTo(new LogEntryCodec.PublishedOp(origin, doc, "epoch\u00E9", op));
        }
    }

    /** The entry's fields as a JSON object, in a random order, with an unknown field among them. */
    private Map<String, Object> shuffledFields(CommittedOp op, Map<String, Object> opening) {
        List<Map.Entry<String, Object>> fields = new ArrayList<>(opening.entrySet());
        Map<String, Object> author = new LinkedHashMap<>();
        author.put("name", op.author().name());
        author.put("avatar", Map.of("url", "x", "sizes", List.of(1, 2.5, true, false)));
        author.put("id", op.author().id());
        fields.add(Map.entry("rev", op.rev()));
        fields.add(Map.entry("op", op.op().toComponents()));
        fields.add(Map.entry("author", author));
        fields.add(new AbstractMap.SimpleEntry<>("id", op.clientOpId()));
        fields.add(Map.entry("ts", op.timestamp().toString()));
        fields.add(Map.entry("addedLater", List.of(Map.of("deep", List.of(List.of("a", -1.5e3))))));
        Collections.shuffle(fields, random);
        Map<String, Object> json = new LinkedHashMap<>();
        fields.forEach(field -> json.put(field.getKey(), field.getValue()));
        return json;
    }

    /** Escapes a random share of the characters the codec writes raw, as other JSON writers may. */
    private String otherEscapes(String json) {
        StringBuilder out = new StringBuilder();
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '\\') {
                int escapeEnd = json.charAt(i + 1) == 'u' ? i + 6 : i + 2;
                out.append(json, i, escapeEnd);
                i = escapeEnd - 1;
                continue;
            }
            if (c == '"') {
                inString = !inString;
            }
            if (inString && c != '"' && random.nextInt(4) == 0) {
                out.append(c == '/' ? "\\/" : String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Test
    void anEntryWrittenByAnotherJsonWriterReadsToTheSameOp() {
        var pretty = REFERENCE.writerWithDefaultPrettyPrinter();
        for (int i = 0; i < 2_000; i++) {
            CommittedOp op = anOp();
            String json = otherEscapes(pretty.writeValueAsString(shuffledFields(op, Map.of())));
            assertThat(codec.decode(json)).as(json).isEqualTo(op);

            String origin = text(5);
            Map<String, Object> opening = new LinkedHashMap<>();
            opening.put("origin", origin);
            opening.put("doc", "doc-" + i);
            opening.put("epoch", "e/" + i);
            String message = otherEscapes(pretty.writeValueAsString(shuffledFields(op, opening)));
            assertThat(codec.decodePublished(message))
                    .as(message)
                    .isEqualTo(new LogEntryCodec.PublishedOp(origin, new DocumentId("doc-" + i), "e/" + i, op));
        }
    }

    @Test
    void anEntryOrMessageCutShortAnywhereIsRefusedAsMalformed() {
        for (int i = 0; i < 50; i++) {
            CommittedOp op = anOp();
            assertEveryPrefixRefused(codec.encode(op), codec::decode);
            assertEveryPrefixRefused(
                    codec.encodePublished("origin", new DocumentId("doc"), "epoch", op), codec::decodePublished);
        }
    }

    private static void assertEveryPrefixRefused(String json, Function<String, ?> decode) {
        for (int cut = 0; cut < json.length(); cut++) {
            String part = json.substring(0, cut);
            assertThatThrownBy(() -> decode.apply(part))
                    .as(part)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("Malformed log entry");
        }
    }

    @Test
    void anEntryThatIsNotWellFormedIsRefusedWithWhatWasExpected() {
        String good = codec.encode(anOp());
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put(good.replaceFirst("\"rev\":\\d+", "\"rev\":1.5"), "a revision");
        bad.put(good.replaceFirst("\"rev\":\\d+", "\"rev\":-3"), "a revision");
        bad.put(good.replaceFirst("\"rev\":\\d+", "\"rev\":\"7\""), "a revision");
        bad.put(good.replaceFirst("\"rev\":\\d+,", ""), "a field \"rev\"");
        bad.put(good.replaceFirst(",\"ts\":\"[^\"]*\"", ""), "a field \"ts\"");
        bad.put(good.replaceFirst("\"op\":\\[", "\"op\":[true,"), "an op component");
        bad.put(good.replaceFirst("\"id\":\"", "\"id\":\"\\\\x"), "an escape");
        bad.put(good.replaceFirst("\"id\":\"", "\"id\":\"\\\\u12G4"), "four hex digits");
        bad.put(good.replaceFirst("\"id\":\"", "\"id\":\"\t"), "no control character");
        bad.put(good + "x", "nothing after");
        bad.put(
                good.replaceFirst("\\{", "{\"extra\":" + "[".repeat(10_000) + "]".repeat(10_000) + ","),
                "no value nested");
        bad.put(good.replaceFirst("\"ts\":", "\"ts\":nul"), "a string");
        bad.forEach((json, expected) -> assertThatThrownBy(() -> codec.decode(json))
                .as(json)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected " + expected));
    }

    @Test
    void aStringLiteralWrittenByAnotherJsonWriterReadsToTheSameText() {
        for (int i = 0; i < 2_000; i++) {
            String text = text(10);
            String json = otherEscapes(REFERENCE.writeValueAsString(text));
            assertThat(codec.decodeString(json)).as(json).isEqualTo(text);
        }
        assertThat(codec.decodeString(" null ")).isNull();
        assertThatThrownBy(() -> codec.decodeString("\"abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.decodeString("\"a\" \"b\"")).isInstanceOf(IllegalArgumentException.class);
    }
}
