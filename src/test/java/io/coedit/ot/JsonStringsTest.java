package io.coedit.ot;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonStringsTest {

    private static String json(String text, char highestRaw) {
        return JsonStrings.append(new StringBuilder(), text, highestRaw).toString();
    }

    @Test
    void quotesBackslashesAndControlCharactersAreEscapedAsJacksonEscapesThem() {
        assertThat(json("a\"b\\c", JsonStrings.ALL_RAW)).isEqualTo("\"a\\\"b\\\\c\"");
        assertThat(json("\b\t\n\f\r", JsonStrings.ALL_RAW)).isEqualTo("\"\\b\\t\\n\\f\\r\"");
        assertThat(json("\u0000\u001F\u007F", JsonStrings.ALL_RAW)).isEqualTo("\"\\u0000\\u001F\u007F\"");
    }

    @Test
    void everythingElseIsRawUnlessAboveTheHighestRawCodeUnit() {
        assertThat(json("é€😀/", JsonStrings.ALL_RAW)).isEqualTo("\"é€😀/\"");
        assertThat(json("é€😀\uE000", '\uD7FF')).isEqualTo("\"é€\\uD83D\\uDE00\\uE000\"");
    }

    @Test
    void aLoneSurrogateIsAlwaysEscapedAndAPairNever() {
        assertThat(json("\uD83D", JsonStrings.ALL_RAW)).isEqualTo("\"\\uD83D\"");
        assertThat(json("x\uDE00\uD83D\uDE00\uDE00\uD83D", JsonStrings.ALL_RAW))
                .isEqualTo("\"x\\uDE00😀\\uDE00\\uD83D\"");
    }

    @Test
    void nullIsTheJsonNull() {
        assertThat(json(null, JsonStrings.ALL_RAW)).isEqualTo("null");
        assertThat(json("", JsonStrings.ALL_RAW)).isEqualTo("\"\"");
    }
}
