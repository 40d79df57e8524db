package io.coedit.document;

import io.coedit.ot.JsonStrings;

/**
 * The stored and relayed JSON of ops: op log entries (in Redis and in the SQL stores), JSON string literals
 * (snapshot content, client op ids) and the messages of a document's ops channel, which {@code commit.lua}
 * publishes in the Redis store and {@link #encodePublished} writes for the SQL stores.
 *
 * <p>Every character above U+D7FF is written as a {@code \\uXXXX} escape. Documents are UTF-16 and may hold a lone
 * surrogate, which has no UTF-8 encoding: sent raw, it would reach Redis as {@code ?} and instances rebuilding
 * the document from Redis would diverge from the one that committed it. Escaped, the stored text is valid UTF-8
 * and decodes to exactly the original code units. Both directions are written by hand ({@link LogEntryReader}), so
 * that nothing configured for the web layer's mapper changes the storage format.
 */
public final class LogEntryCodec {

    /** A message from a document's ops channel: the log entry plus where and by whom it was committed. */
    public record PublishedOp(String origin, DocumentId documentId, String epoch, CommittedOp op) {}

    /** Above this, every code unit is escaped (see above). */
    private static final char HIGHEST_RAW = '\uD7FF';

    public String encode(CommittedOp op) {
        return appendEntryFields(new StringBuilder(128).append('{'), op).toString();
    }

    /** Reads a log entry; refuses one that is not well formed with an {@link IllegalArgumentException}. */
    public CommittedOp decode(String json) {
        return LogEntryReader.entry(json);
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
     * A log entry's fields ({@code rev}, {@code op}, {@code author}, {@code id}, {@code ts}) and the closing brace,
     * written by hand: once per op on the submit path, where the mapper's setup for each call cost more than the
     * writing. The same text the mapper writes ({@code LogEntryCodecTest}).
     */
    private static StringBuilder appendEntryFields(StringBuilder out, CommittedOp op) {
        out.append("\"rev\":").append(op.rev()).append(",\"op\":");
        op.op().appendJson(out, HIGHEST_RAW).append(",\"author\":{\"id\":");
        JsonStrings.append(out, op.author().id(), HIGHEST_RAW).append(",\"name\":");
        JsonStrings.append(out, op.author().name(), HIGHEST_RAW).append("},\"id\":");
        JsonStrings.append(out, op.clientOpId(), HIGHEST_RAW).append(",\"ts\":");
        return JsonStrings.append(out, op.timestamp().toString(), HIGHEST_RAW).append('}');
    }

    /** Reads a message of a document's ops channel (format: {@code docs/redis-store.md}), as {@link #decode}. */
    public PublishedOp decodePublished(String json) {
        return LogEntryReader.published(json);
    }

    /** A JSON string literal in the stored form: op keys in Redis are these, so it must stay what the mapper wrote. */
    public String encodeString(String value) {
        return JsonStrings.append(new StringBuilder(value == null ? 4 : value.length() + 2), value, HIGHEST_RAW)
                .toString();
    }

    public String decodeString(String json) {
        return LogEntryReader.string(json);
    }
}
