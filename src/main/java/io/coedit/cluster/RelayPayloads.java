package io.coedit.cluster;

import tools.jackson.databind.json.JsonMapper;

import io.coedit.document.PresenceUpdate;

/**
 * JSON form of presence on the relay: messages on a document's presence channel and entries of its members hash.
 * Committed ops are published in {@code LogEntryCodec}'s form (document package).
 */
final class RelayPayloads {

    /** A presence change on a document's presence channel, and a member entry in its members hash. */
    record PresenceMessage(
            String origin,
            String kind,
            String clientId,
            String userId,
            String userName,
            int pos,
            int selStart,
            int selEnd,
            long since,
            long seen) {

        static PresenceMessage of(String origin, PresenceUpdate update, long seenMillis) {
            return new PresenceMessage(
                    origin,
                    update.kind().name(),
                    update.clientId(),
                    update.userId(),
                    update.userName(),
                    update.pos(),
                    update.selStart(),
                    update.selEnd(),
                    update.since(),
                    seenMillis);
        }

        PresenceUpdate toUpdate() {
            return new PresenceUpdate(
                    PresenceUpdate.Kind.valueOf(kind), clientId, userId, userName, pos, selStart, selEnd, since);
        }
    }

    private final JsonMapper mapper;

    RelayPayloads(JsonMapper mapper) {
        this.mapper = mapper;
    }

    String write(Object payload) {
        return mapper.writeValueAsString(payload);
    }

    PresenceMessage presence(String json) {
        return mapper.readValue(json, PresenceMessage.class);
    }
}
