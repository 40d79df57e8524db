package io.coedit.document;

import java.time.Instant;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

import io.coedit.ot.OperationBuilder;
import io.coedit.ot.TextOperation;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Log entries and ops channel messages are written by hand; stored entries and those of older instances are read
 * by the mapper, so the hand-written text must be exactly what the mapper writes, and read back to the same op.
 */
class LogEntryCodecTest {

    /** How entries were written before: the codec's mapper settings, and its records. */
    private static final JsonMapper REFERENCE = JsonMapper.builder(
                    JsonFactory.builder().highestNonEscapedChar(0xD7FF).build())
            .build();

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
                    .isEqualTo(REFERENCE.writeValueAsString(new LogEntryCodec.Entry(
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
}
