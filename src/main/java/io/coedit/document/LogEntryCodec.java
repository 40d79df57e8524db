package io.coedit.document;

import java.util.List;

import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

import io.coedit.ot.JsonStrings;
import io.coedit.ot.TextOperation;

/**
 * The stored and relayed JSON of ops: op log entries (in Redis and in the SQL stores), JSON string literals
 * (snapshot content, client op ids) and the messages of a document's ops channel, which {@code commit.lua}
 * publishes in the Redis store and {@link #encodePublished} writes for the SQL stores.
 *
 * <p>Every character above U+D7FF is written as a {@code \\uXXXX} escape. Documents are UTF-16 and may hold a lone
 * surrogate, which has no UTF-8 encoding: sent raw, it would reach Redis as {@code ?} and instances rebuilding
 * the document from Redis would diverge from the one that committed it. Escaped, the stored text is valid UTF-8
 * and decodes to exactly the original code units. The mapper is private so that nothing configured for the web
 * layer changes the storage format.
 */
public final class LogEntryCodec {

    /** One op log entry; {@code ts} is ISO-8601 so that no precision is lost. */
    record Entry(long rev, List<Object> op, Author author, String id, String ts) {}

    /** A message from a document's ops channel: the log entry plus where and by whom it was committed. */
    public record PublishedOp(String origin, DocumentId documentId, String epoch, CommittedOp op) {}

    private record Published(
            String origin, String doc, String epoch, long rev, List<Object> op, Author author, String id, String ts) {}

    /** Above this, every code unit is escaped (see above). */
    private static final char HIGHEST_RAW = '\uD7FF';

    private final JsonMapper mapper = JsonMapper.builder(
                    JsonFactory.builder().highestNonEscapedChar(HIGHEST_RAW).build())
            .build();

    public String encode(CommittedOp op) {
        return appendEntryFields(new StringBuilder(128).append('{'), op).toString();
    }

    public CommittedOp decode(String json) {
        return decode(mapper.readValue(json, Entry.class));
    }

    private static CommittedOp decode(Entry entry) {
        return new CommittedOp(
                entry.rev(),
                TextOperation.fromComponents(entry.op()),
                entry.author(),
                entry.id(),
                InstantText.parse(entry.ts()));
    }

    /** A message for a document's ops channel, the same as {@code commit.lua} publishes. */
    public String encodePublished(String origin, DocumentId documentId, String epoch, CommittedOp op) {
        return appendEntryFields(appendPublishedOpening(new StringBuilder(192), origin, documentId, epoch), op)
                .toString();
    }

    /**
     * How every message of {@link #encodePublished} for this origin, document and epoch begins, up to the entry's
     * first field: {@code commit.lua} is given it and appends each entry without its opening brace.
     */
    public String publishedOpening(String origin, DocumentId documentId, String epoch) {
        return appendPublishedOpening(new StringBuilder(96), origin, documentId, epoch)
                .toString();
    }

    private static StringBuilder appendPublishedOpening(
            StringBuilder out, String origin, DocumentId documentId, String epoch) {
        out.append("{\"origin\":");
        JsonStrings.append(out, origin, HIGHEST_RAW).append(",\"doc\":");
        JsonStrings.append(out, documentId.value(), HIGHEST_RAW).append(",\"epoch\":");
        return JsonStrings.append(out, epoch, HIGHEST_RAW).append(',');
    }

    /**
     * The fields of {@link Entry} and the closing brace, written by hand: once per op on the submit path, where the
     * mapper's setup for each call cost more than the writing. The same text the mapper writes ({@code
     * LogEntryCodecTest}).
     */
    private static StringBuilder appendEntryFields(StringBuilder out, CommittedOp op) {
        out.append("\"rev\":").append(op.rev()).append(",\"op\":");
        op.op().appendJson(out, HIGHEST_RAW).append(",\"author\":{\"id\":");
        JsonStrings.append(out, op.author().id(), HIGHEST_RAW).append(",\"name\":");
        JsonStrings.append(out, op.author().name(), HIGHEST_RAW).append("},\"id\":");
        JsonStrings.append(out, op.clientOpId(), HIGHEST_RAW).append(",\"ts\":");
        return JsonStrings.append(out, op.timestamp().toString(), HIGHEST_RAW).append('}');
    }

    /** Reads a message of a document's ops channel (format: {@code docs/redis-store.md}). */
    public PublishedOp decodePublished(String json) {
        Published message = mapper.readValue(json, Published.class);
        return new PublishedOp(
                message.origin(),
                new DocumentId(message.doc()),
                message.epoch(),
                decode(new Entry(message.rev(), message.op(), message.author(), message.id(), message.ts())));
    }

    /** A JSON string literal in the stored form: op keys in Redis are these, so it must stay what the mapper wrote. */
    public String encodeString(String value) {
        return JsonStrings.append(new StringBuilder(value == null ? 4 : value.length() + 2), value, HIGHEST_RAW)
                .toString();
    }

    public String decodeString(String json) {
        return mapper.readValue(json, String.class);
    }
}
