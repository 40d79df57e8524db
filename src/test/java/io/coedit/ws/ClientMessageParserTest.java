package io.coedit.ws;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import io.coedit.document.DocumentProperties;
import io.coedit.error.ErrorCode;
import io.coedit.ot.InvalidOperationException;
import io.coedit.ot.TextOperation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientMessageParserTest {

    private static final DocumentProperties DOCUMENTS = new DocumentProperties(2_000_000, 1000);

    private final ClientMessageParser parser = new ClientMessageParser(DOCUMENTS);
    private final TreeClientMessageParser reference =
            new TreeClientMessageParser(JsonMapper.builder().build(), DOCUMENTS);
    private final JsonMapper mapper = JsonMapper.builder().build();
    private final Random random = new Random(20261207);

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

    /** What a frame parses to, or the error it is answered with: the parts of it a client sees. */
    private static String outcome(Supplier<ClientMessage> parse) {
        try {
            return "parsed " + parse.get();
        } catch (BadMessageException ex) {
            return "refused " + ex.code() + " " + ex.invalidOpReason() + " " + ex.opId() + " " + ex.getMessage();
        }
    }

    private void assertParsedAsTheTreeParsedIt(String frame) {
        assertThat(outcome(() -> parser.parse(frame))).as(frame).isEqualTo(outcome(() -> reference.parse(frame)));
    }

    /** Values a client could put anywhere: the kinds JSON has, numbers at the edges of what fits. */
    private static final List<Object> ODD_VALUES = List.of(
            "",
            "x",
            "a:1",
            "\u0000\uD83D",
            0,
            -0.0,
            -1,
            1.5,
            3.0,
            1e2,
            2147483648L,
            Long.MAX_VALUE,
            new BigDecimal("12345678901234567890"),
            new BigDecimal("-1e400"),
            true,
            false,
            List.of(),
            List.of(1),
            List.of(1, 2),
            List.of(List.of(1)),
            Map.of(),
            Map.of("a", List.of(1, "b")));

    private Object oddValue() {
        return random.nextInt(8) == 0 ? null : ODD_VALUES.get(random.nextInt(ODD_VALUES.size()));
    }

    private Map<String, Object> aFrame() {
        Map<String, Object> frame = new LinkedHashMap<>();
        switch (random.nextInt(5)) {
            case 0 -> {
                frame.put("type", "sync");
                frame.put("rev", random.nextInt(100));
                frame.put("epoch", "e" + random.nextInt(9));
            }
            case 1 -> {
                frame.put("type", "cursor");
                frame.put("pos", random.nextInt(100));
                if (random.nextBoolean()) {
                    frame.put("sel", List.of(random.nextInt(100), random.nextInt(100)));
                }
            }
            case 2 -> {
                frame.put("type", "auth");
                frame.put("token", "t" + random.nextInt(9));
            }
            default -> {
                frame.put("type", "op");
                frame.put("rev", random.nextInt(100));
                List<Object> op = new ArrayList<>();
                for (int i = random.nextInt(5); i >= 0; i--) {
                    op.add(
                            switch (random.nextInt(3)) {
                                case 0 -> 1 + random.nextInt(9);
                                case 1 -> -1 - random.nextInt(9);
                                default ->
                                    List.of("a", "\u00e9\n", "\uD83D\uDE00", "\"")
                                            .get(random.nextInt(4));
                            });
                }
                frame.put("op", op);
                frame.put("id", "c" + random.nextInt(9) + ":" + random.nextInt(99));
            }
        }
        if (random.nextInt(3) == 0) {
            List<String> names = new ArrayList<>(frame.keySet());
            names.add("extra");
            frame.put(names.get(random.nextInt(names.size())), oddValue());
        }
        if (random.nextInt(4) == 0 && frame.get("op") instanceof List<?> op && !op.isEmpty()) {
            List<Object> changed = new ArrayList<>(op);
            changed.set(random.nextInt(changed.size()), oddValue());
            frame.put("op", changed);
        }
        List<Map.Entry<String, Object>> members = new ArrayList<>(frame.entrySet());
        Collections.shuffle(members, random);
        Map<String, Object> shuffled = new LinkedHashMap<>();
        members.forEach(member -> shuffled.put(member.getKey(), member.getValue()));
        return shuffled;
    }

    @Test
    void everyFrameIsParsedOrRefusedAsTheMappersTreeHadIt() {
        var pretty = mapper.writerWithDefaultPrettyPrinter();
        for (int i = 0; i < 5_000; i++) {
            Map<String, Object> frame = aFrame();
            String json = random.nextBoolean() ? mapper.writeValueAsString(frame) : pretty.writeValueAsString(frame);
            assertParsedAsTheTreeParsedIt(json);
            // and the same frame broken: cut short, a character dropped, doubled or replaced
            int at = random.nextInt(json.length());
            assertParsedAsTheTreeParsedIt(json.substring(0, at));
            assertParsedAsTheTreeParsedIt(json.substring(0, at) + json.substring(at + 1));
            assertParsedAsTheTreeParsedIt(json.substring(0, at + 1) + json.substring(at));
            String others = "{}[],:\"\\ 0-.etnu";
            char other = others.charAt(random.nextInt(others.length()));
            assertParsedAsTheTreeParsedIt(json.substring(0, at) + other + json.substring(at + 1));
        }
    }

    @Test
    void edgesOfJsonAreParsedOrRefusedAsTheMappersTreeHadThem() {
        for (String frame : List.of(
                "",
                " ",
                "null",
                "\"op\"",
                "{} x",
                "{}{}",
                "{\"type\":\"auth\",\"token\":\"t\"} ",
                "{\"type\":\"auth\",\"token\":\"a\",\"token\":\"b\"}",
                "{\"type\":\"auth\",\"token\":\"a\\u0000\\ud83d\\/\"}",
                "{\"type\":\"auth\",\"token\":\"a\tb\"}",
                "{\"type\":\"auth\",\"token\":\"\\x\"}",
                "{\"type\":\"op\",\"rev\":01,\"op\":[1],\"id\":\"a:1\"}",
                "{\"type\":\"op\",\"rev\":1,\"op\":[NaN],\"id\":\"a:1\"}",
                "{\"type\":\"op\",\"rev\":1,\"op\":[1" + "0".repeat(1_200) + "],\"id\":\"a:1\"}",
                "{\"type\":\"cursor\",\"pos\":1,\"sel\":null}",
                "{\"type\":\"op\",\"rev\":0,\"op\":[1],\"id\":\"a:1\",\"x\":" + nested(400) + "}",
                "{\"type\":\"op\",\"rev\":0,\"op\":[1],\"id\":\"a:1\",\"x\":" + nested(2_000) + "}",
                "{\"type\":\"op\",\"rev\":0,\"op\":[" + "1,".repeat(1_000) + "1],\"id\":\"a:1\"}")) {
            assertParsedAsTheTreeParsedIt(frame);
        }
    }

    private static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    @Test
    void anOpIdIsCheckedAsItsRegularExpressionChecksIt() {
        String units = "ab:0 9\t\n\u000B\f\r\u00A0\u2028\uD83D\uDE00";
        List<String> ids = new ArrayList<>(List.of(
                "a:1",
                ":1",
                "a:",
                "a:b",
                "a:1:2",
                "a b:1",
                "a:" + "9".repeat(18),
                "a:" + "9".repeat(19),
                "x".repeat(128) + ":1",
                "x".repeat(129) + ":1",
                "\uD83D\uDE00".repeat(128) + ":1",
                "\uD83D\uDE00".repeat(129) + ":1",
                "\uD83D".repeat(128) + ":1",
                "\uD83D".repeat(129) + ":1"));
        for (int i = 0; i < 20_000; i++) {
            StringBuilder id = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                id.append(units.charAt(random.nextInt(units.length())));
            }
            ids.add(id.toString());
        }
        for (String id : ids) {
            assertThat(ClientMessageParser.isOpId(id))
                    .as(id)
                    .isEqualTo(TreeClientMessageParser.OP_ID.matcher(id).matches());
        }
    }
}
