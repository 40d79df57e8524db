package io.coedit.ws;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import io.coedit.document.CommittedOp;
import io.coedit.document.DocumentSnapshot;
import io.coedit.error.ErrorCode;
import io.coedit.ot.InvalidOperationException;
import io.coedit.ot.JsonStrings;

/** Serializes server messages. Each is built once and the same text is sent to every recipient. */
@Component
class ServerMessages {

    record UserView(String id, String name) {}

    record Limits(long maxMessageBytes) {}

    record Snapshot(
            String type,
            String docId,
            String epoch,
            long rev,
            String content,
            String clientId,
            UserView user,
            boolean canEdit,
            Limits limits) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Error(String type, String code, String reason, String message, String id) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Member(String clientId, UserView user, Integer pos, int[] sel) {}

    record Membership(String type, String clientId, UserView user) {}

    record Cursor(String type, String clientId, UserView user, int pos, int[] sel) {}

    private static final String PRESENCE_START = "{\"type\":\"presence\",\"members\":[";
    private static final String PRESENCE_END = "]}";

    private final JsonMapper mapper;

    ServerMessages(JsonMapper mapper) {
        this.mapper = mapper;
    }

    String snapshot(DocumentSnapshot snapshot, CollabSession session, long maxMessageBytes) {
        return write(new Snapshot(
                "snapshot",
                snapshot.id().value(),
                snapshot.epoch(),
                snapshot.rev(),
                snapshot.content(),
                session.clientId(),
                session.userView(),
                session.canEdit(),
                new Limits(maxMessageBytes)));
    }

    /** Written by hand, as {@link #op}: one goes out for every op. */
    String ack(long rev, String opId) {
        StringBuilder out = new StringBuilder(64)
                .append("{\"type\":\"ack\",\"rev\":")
                .append(rev)
                .append(",\"id\":");
        return JsonStrings.append(out, opId, JsonStrings.ALL_RAW).append('}').toString();
    }

    /**
     * Written by hand, the fields as the mapper wrote them ({@code ServerMessagesTest}): the mapper's setup for each
     * call cost more than the writing, once for every op.
     */
    String op(CommittedOp op) {
        StringBuilder out = new StringBuilder(128)
                .append("{\"type\":\"op\",\"rev\":")
                .append(op.rev())
                .append(",\"op\":");
        op.op().appendJson(out, JsonStrings.ALL_RAW).append(",\"id\":");
        JsonStrings.append(out, op.clientOpId(), JsonStrings.ALL_RAW).append(",\"user\":{\"id\":");
        JsonStrings.append(out, op.author().id(), JsonStrings.ALL_RAW).append(",\"name\":");
        return JsonStrings.append(out, op.author().name(), JsonStrings.ALL_RAW)
                .append("}}")
                .toString();
    }

    /** An error frame; an {@code invalid_op} has a {@code reason} ({@code BASE_LENGTH_MISMATCH}, ...), others null. */
    String error(ErrorCode code, InvalidOperationException.Reason reason, String message, String opId) {
        return write(new Error("error", code.value(), reason == null ? null : reason.name(), message, opId));
    }

    /** A member's entry in a {@code presence} frame; a negative {@code pos} means no cursor yet (no pos, no sel). */
    String member(String clientId, UserView user, int pos, int selStart, int selEnd) {
        boolean hasCursor = pos >= 0;
        return write(
                new Member(clientId, user, hasCursor ? pos : null, hasCursor ? new int[] {selStart, selEnd} : null));
    }

    /**
     * The {@code presence} frame of members serialized beforehand by {@link #member}: the entries of those already
     * in the document are not serialized again for every joiner.
     */
    String presenceOf(List<String> memberJson) {
        return PRESENCE_START + String.join(",", memberJson) + PRESENCE_END;
    }

    String join(String clientId, UserView user) {
        return write(new Membership("join", clientId, user));
    }

    String leave(String clientId, UserView user) {
        return write(new Membership("leave", clientId, user));
    }

    String cursor(String clientId, UserView user, int pos, int selStart, int selEnd) {
        return write(new Cursor("cursor", clientId, user, pos, new int[] {selStart, selEnd}));
    }

    private String write(Object message) {
        return mapper.writeValueAsString(message);
    }
}
