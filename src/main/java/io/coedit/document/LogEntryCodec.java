package io.coedit.document;

import java.util.List;

import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

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

    private final JsonMapper mapper = JsonMapper.builder(
                    JsonFactory.builder().highestNonEscapedChar(0xD7FF).build())
            .build();

    public String encode(CommittedOp op) {
        return mapper.writeValueAsString(new Entry(
                op.rev(),
                op.op().toComponents(),
                op.author(),
                op.clientOpId(),
                op.timestamp().toString()));
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
        return mapper.writeValueAsString(new Published(
                origin,
                documentId.value(),
                epoch,
                op.rev(),
                op.op().toComponents(),
                op.author(),
                op.clientOpId(),
                op.timestamp().toString()));
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

    public String encodeString(String value) {
        return mapper.writeValueAsString(value);
    }

    public String decodeString(String json) {
        return mapper.readValue(json, String.class);
    }
}
