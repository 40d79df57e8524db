package io.coedit.ws;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.coedit.document.Author;
import io.coedit.document.CommittedOp;
import io.coedit.ot.TextOperation;

import static org.assertj.core.api.Assertions.assertThat;

/** The ack and op frames are written by hand: the same text the mapper wrote, which clients parse as before. */
class ServerMessagesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The frames as the mapper wrote them before. */
    private record Ack(String type, long rev, String id) {}

    private record Op(String type, long rev, List<Object> op, String id, ServerMessages.UserView user) {}

    private final ServerMessages messages = new ServerMessages(JSON);

    private static CommittedOp op(String insert, String opId, Author author) {
        return new CommittedOp(
                42, TextOperation.builder().retain(3).insert(insert).delete(2).build(), author, opId, Instant.now());
    }

    @Test
    void anAckIsTheTextTheMapperWrote() {
        for (String opId : List.of("c1:1", "quote\"back\\slash:2", "tab\tnew\nline:3", "é€😀:4")) {
            assertThat(messages.ack(7, opId)).isEqualTo(JSON.writeValueAsString(new Ack("ack", 7, opId)));
        }
    }

    @Test
    void anOpFrameIsTheTextTheMapperWrote() {
        for (String text : List.of("x", "\"\\/", "\b\t\n\f\r\u0000\u001F", "é€😀\uE000")) {
            CommittedOp op = op(text, "c:" + text, new Author("u-" + text, "Name " + text));
            assertThat(messages.op(op))
                    .isEqualTo(JSON.writeValueAsString(new Op(
                            "op",
                            42,
                            op.op().toComponents(),
                            op.clientOpId(),
                            new ServerMessages.UserView("u-" + text, "Name " + text))));
        }
    }

    @Test
    void aLoneSurrogateReachesTheClientEscapedAndReadsBackUnchanged() {
        CommittedOp op = op("a\uD83D", "c:1", new Author("u", "Ann\uDE00"));
        String frame = messages.op(op);
        assertThat(frame).contains("a\\uD83D").contains("Ann\\uDE00");
        JsonNode read = JSON.readTree(frame);
        assertThat(read.get("op").get(1).asString()).isEqualTo("a\uD83D");
        assertThat(read.get("user").get("name").asString()).isEqualTo("Ann\uDE00");
    }

    @Test
    void anAuthorWithoutANameIsWrittenWithANullName() {
        String frame = messages.op(op("x", "c:1", new Author("u", null)));
        assertThat(JSON.readTree(frame).get("user").get("name").isNull()).isTrue();
    }
}
