package io.coedit.cluster;

import java.time.Instant;
import java.util.List;

import io.coedit.document.Author;
import io.coedit.document.CommittedOp;
import io.coedit.document.DocumentId;
import io.coedit.ot.TextOperation;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON in Redis: op log entries, JSON string literals (snapshot content, client op ids) and, for reading only,
 * the messages {@code commit.lua} publishes.
 *
 * <p>Every character above U+D7FF is written as a {@code \\uXXXX} escape. Documents are UTF-16 and may hold a lone
 * surrogate, which has no UTF-8 encoding: sent raw, it would reach Redis as {@code ?} and instances rebuilding
 * the document from Redis would diverge from the one that committed it. Escaped, the stored text is valid UTF-8
 * and decodes to exactly the original code units. The mapper is private so that nothing configured for the web
 * layer changes the storage format.
 */
final class LogEntryCodec {

    /** One op log entry; {@code ts} is ISO-8601 so that no precision is lost. */
    record Entry(long rev, List<Object> op, Author author, String id, String ts) {
    }

    /** A message from a document's ops channel: the log entry plus where and by whom it was committed. */
    record PublishedOp(String origin, DocumentId documentId, String epoch, CommittedOp op) {
    }

    private record Published(String origin, String doc, String epoch, long rev, List<Object> op, Author author,
            String id, String ts) {
    }

    private final JsonMapper mapper = JsonMapper.builder(JsonFactory.builder().highestNonEscapedChar(0xD7FF).build())
            .build();

    String encode(CommittedOp op) {
        return mapper.writeValueAsString(new Entry(op.rev(), op.op().toComponents(), op.author(), op.clientOpId(),
                op.timestamp().toString()));
    }

    CommittedOp decode(String json) {
        return decode(mapper.readValue(json, Entry.class));
    }

    private static CommittedOp decode(Entry entry) {
        return new CommittedOp(entry.rev(), TextOperation.fromComponents(entry.op()), entry.author(), entry.id(),
                Instant.parse(entry.ts()));
    }

    /** Reads what {@code commit.lua} publishes (format: {@link RedisDocumentStore}). */
    PublishedOp decodePublished(String json) {
        Published message = mapper.readValue(json, Published.class);
        return new PublishedOp(message.origin(), new DocumentId(message.doc()), message.epoch(),
                decode(new Entry(message.rev(), message.op(), message.author(), message.id(), message.ts())));
    }

    String encodeString(String value) {
        return mapper.writeValueAsString(value);
    }

    String decodeString(String json) {
        return mapper.readValue(json, String.class);
    }
}
