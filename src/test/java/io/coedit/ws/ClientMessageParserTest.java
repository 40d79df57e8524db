package io.coedit.ws;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import io.coedit.document.DocumentProperties;
import io.coedit.error.ErrorCode;
import io.coedit.ot.InvalidOperationException;
import io.coedit.ot.TextOperation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientMessageParserTest {

    private final ClientMessageParser parser =
            new ClientMessageParser(JsonMapper.builder().build(), new DocumentProperties(2_000_000, 1000));

    @Test
    void parsesAnOp() {
        String frame = "{\"type\":\"op\",\"rev\":3,\"op\":[1,\"a\",-2],\"id\":\"tab:9\"}";
        assertThat(parser.parse(frame))
                .isEqualTo(new ClientMessage.Op(
                        3,
                        TextOperation.builder().retain(1).insert("a").delete(2).build(),
                        "tab:9"));
    }

    @Test
    void parsesSyncCursorAndAuth() {
        assertThat(parser.parse("{\"type\":\"sync\",\"rev\":2,\"epoch\":\"e1\"}"))
                .isEqualTo(new ClientMessage.Sync(2, "e1"));
        assertThat(parser.parse("{\"type\":\"cursor\",\"pos\":4,\"sel\":[1,4]}"))
                .isEqualTo(new ClientMessage.Cursor(4, 1, 4));
        assertThat(parser.parse("{\"type\":\"cursor\",\"pos\":4}")).isEqualTo(new ClientMessage.Cursor(4, 4, 4));
        assertThat(parser.parse("{\"type\":\"auth\",\"token\":\"t\"}")).isEqualTo(new ClientMessage.Auth("t"));
    }

    @Test
    void rejectsWhatIsNotTheProtocol() {
        for (String frame : List.of(
                "",
                "nope",
                "[]",
                "{}",
                "{\"type\":5}",
                "{\"type\":\"dance\"}",
                "{\"type\":\"op\",\"rev\":0,\"op\":[1]}",
                "{\"type\":\"op\",\"rev\":0,\"op\":[1],\"id\":\"noseq\"}",
                "{\"type\":\"op\",\"rev\":-1,\"op\":[1],\"id\":\"a:1\"}",
                "{\"type\":\"op\",\"rev\":0,\"op\":1,\"id\":\"a:1\"}",
                "{\"type\":\"sync\",\"rev\":1}",
                "{\"type\":\"cursor\",\"pos\":-1}",
                "{\"type\":\"cursor\",\"pos\":1,\"sel\":[1]}",
                "{\"type\":\"auth\"}")) {
            assertThatThrownBy(() -> parser.parse(frame)).as(frame).isInstanceOf(BadMessageException.class);
        }
    }

    @Test
    void keepsTheOpIdOnARejectedOpSoTheClientCanMatchTheError() {
        assertThatThrownBy(() -> parser.parse("{\"type\":\"op\",\"rev\":\"x\",\"op\":[1],\"id\":\"a:1\"}"))
                .isInstanceOfSatisfying(
                        BadMessageException.class, ex -> assertThat(ex.opId()).isEqualTo("a:1"));
    }

    @Test
    void refusesAMalformedOpAsInvalidWithTheReasonOfTheOtCore() {
        assertThatThrownBy(() -> parser.parse("{\"type\":\"op\",\"rev\":0,\"op\":[1,0,\"a\"],\"id\":\"a:1\"}"))
                .isInstanceOfSatisfying(BadMessageException.class, ex -> {
                    assertThat(ex.code()).isEqualTo(ErrorCode.INVALID_OP);
                    assertThat(ex.invalidOpReason()).isEqualTo(InvalidOperationException.Reason.ZERO_LENGTH_COMPONENT);
                    assertThat(ex.opId()).isEqualTo("a:1");
                });
        assertThatThrownBy(() -> parser.parse("{\"type\":\"op\",\"rev\":0,\"op\":[true],\"id\":\"a:2\"}"))
                .isInstanceOfSatisfying(
                        BadMessageException.class,
                        ex -> assertThat(ex.invalidOpReason())
                                .isEqualTo(InvalidOperationException.Reason.WRONG_COMPONENT_TYPE));
    }

    @Test
    void aComponentOfTheWrongTypeIsNamedInTheWordsOfJsonNotOfJava() {
        Map<String, String> shown = new LinkedHashMap<>();
        shown.put("true", "true (a boolean)");
        shown.put("1.5", "1.5 (a number that is not a whole one)");
        shown.put("null", "null");
        shown.put("[1]", "an array");
        shown.put("{\"a\":1}", "an object");
        shown.forEach((component, expected) -> assertThatThrownBy(
                        () -> parser.parse("{\"type\":\"op\",\"rev\":0,\"op\":[" + component + "],\"id\":\"a:1\"}"))
                .as(component)
                .hasMessageContaining("Component 0 is " + expected + ";")
                .hasMessageNotContaining("Node"));
    }
}
