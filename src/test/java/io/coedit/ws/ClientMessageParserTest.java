package io.coedit.ws;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

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

    /** What a parse gave: the message, or the error as the client is told it. */
    private static Object outcome(Callable<ClientMessage> parse) {
        try {
            return parse.call();
        } catch (BadMessageException ex) {
            return List.of(ex.code(), String.valueOf(ex.invalidOpReason()), ex.getMessage(), String.valueOf(ex.opId()));
        } catch (Exception ex) {
            throw new AssertionError(ex);
        }
    }

    @Test
    void anOpReadOffTheTokensIsWhatTheTreeReadsForEveryFrame() {
        DocumentProperties defaults = new DocumentProperties(2_000_000, 1000);
        ClientMessageParser small = new ClientMessageParser(
                JsonMapper.builder().build(),
                new DocumentProperties(
                        defaults.maxLength(),
                        defaults.retainedOps(),
                        defaults.retainedBytes(),
                        3,
                        defaults.opIdWindow(),
                        defaults.opIdMax(),
                        defaults.submitQueueOps(),
                        defaults.submitQueueBytes(),
                        defaults.submitThreads()));
        List<String> types = List.of("\"op\"", "\"sync\"", "5", "null", "\"OP\"");
        List<String> revs = List.of("0", "7", "-1", "1.0", "\"3\"", "99999999999999999999", "9223372036854775807");
        List<String> ops = List.of(
                "[]",
                "[1]",
                "[\"a\"]",
                "[2,\"b\\\"\\u00e9\",-1]",
                "[1,0,\"a\"]",
                "[1,2,3,4]",
                "[true]",
                "[1.5]",
                "[null]",
                "[[1]]",
                "[{\"a\":1}]",
                "[99999999999999999999]",
                "1",
                "\"a\"");
        List<String> ids = List.of("\"a:1\"", "\"noseq\"", "\"a b:1\"", "7", "\"\"");
        Random random = new Random(20261205);
        int fast = 0;
        for (int i = 0; i < 5_000; i++) {
            List<String> fields = new ArrayList<>();
            if (random.nextInt(10) > 0) {
                fields.add("\"type\":" + types.get(random.nextInt(random.nextBoolean() ? 1 : types.size())));
            }
            if (random.nextInt(10) > 0) {
                fields.add("\"rev\":" + revs.get(random.nextInt(random.nextBoolean() ? 2 : revs.size())));
            }
            if (random.nextInt(10) > 0) {
                fields.add("\"op\":" + ops.get(random.nextInt(ops.size())));
            }
            if (random.nextInt(10) > 0) {
                fields.add("\"id\":" + ids.get(random.nextInt(random.nextBoolean() ? 1 : ids.size())));
            }
            if (random.nextInt(5) == 0) {
                fields.add("\"extra\":{\"op\":[true],\"rev\":-1}");
            }
            if (random.nextInt(8) == 0) { // a field twice, most often with another value
                fields.add(
                        switch (random.nextInt(4)) {
                            case 0 -> "\"type\":" + types.get(random.nextInt(types.size()));
                            case 1 -> "\"rev\":" + revs.get(random.nextInt(revs.size()));
                            case 2 -> "\"op\":" + ops.get(random.nextInt(ops.size()));
                            default -> "\"id\":" + ids.get(random.nextInt(ids.size()));
                        });
            }
            Collections.shuffle(fields, random);
            String frame = "{" + String.join(",", fields) + "}" + (random.nextInt(20) == 0 ? " {}" : "");
            Object streamed = outcome(() -> small.parse(frame));
            assertThat(streamed).as(frame).isEqualTo(outcome(() -> small.parseTree(frame)));
            fast += streamed instanceof ClientMessage.Op ? 1 : 0;
        }
        assertThat(fast).as("frames that were well-formed ops").isGreaterThan(100);
    }
}
