package io.coedit.ot;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextOperationTest {

    private static TextOperation op(Object... components) {
        return TextOperation.fromComponents(List.of(components));
    }

    @Test
    void builderMergesAdjacentComponentsOfTheSameKind() {
        TextOperation operation = TextOperation.builder()
                .retain(1)
                .retain(2)
                .insert("a")
                .insert("b")
                .delete(1)
                .delete(2)
                .retain(4)
                .build();

        assertThat(operation.toComponents()).containsExactly(3, "ab", -3, 4);
    }

    @Test
    void builderPutsInsertBeforeDeleteAtSamePosition() {
        TextOperation operation =
                TextOperation.builder().retain(1).delete(2).insert("x").build();

        assertThat(operation.toComponents()).containsExactly(1, "x", -2);
    }

    @Test
    void insertAfterInsertAndDeleteJoinsTheEarlierInsert() {
        TextOperation operation = TextOperation.builder()
                .insert("a")
                .delete(1)
                .insert("b")
                .delete(1)
                .build();

        assertThat(operation.toComponents()).containsExactly("ab", -2);
    }

    @Test
    void builderIgnoresZeroLengthComponents() {
        TextOperation operation =
                TextOperation.builder().retain(0).insert("").delete(0).retain(2).build();

        assertThat(operation.toComponents()).containsExactly(2);
    }

    @Test
    void builderRejectsNegativeCounts() {
        assertThatThrownBy(() -> TextOperation.builder().retain(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TextOperation.builder().delete(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lengthsCountUtf16CodeUnits() {
        TextOperation operation = op(1, "😀", -2, 1);

        assertThat(operation.baseLength()).isEqualTo(4);
        assertThat(operation.targetLength()).isEqualTo(4);
        assertThat(operation.apply("a🎉b")).isEqualTo("a😀b");
    }

    @Test
    void applyRetainsInsertsAndDeletes() {
        assertThat(op(3, "abc", -2, 5).apply("0123456789")).isEqualTo("012abc56789");
        assertThat(op("hello").apply("")).isEqualTo("hello");
        assertThat(op(-3).apply("abc")).isEmpty();
    }

    @Test
    void applyInsertsEmojiBetweenEmoji() {
        assertThat(op(2, "👍", 2).apply("😀🎉")).isEqualTo("😀👍🎉");
    }

    @Test
    void fromComponentsAcceptsAnyIntegralNumber() {
        TextOperation operation = op(1L, (short) 1, BigInteger.ONE, 1.0, new BigDecimal("2.00"), -1L, -1.0f, "x");

        assertThat(operation.toComponents()).containsExactly(6, "x", -2);
    }

    @Test
    void fromComponentsCanonicalizesItsInput() {
        assertThat(op(-1, "a", -1, "b", 1, 2)).isEqualTo(op("ab", -2, 3));
    }

    @Test
    void toComponentsReturnsAnIndependentCopy() {
        TextOperation operation = op(1, "a");
        List<Object> components = operation.toComponents();
        components.clear();

        assertThat(operation.toComponents()).containsExactly(1, "a");
        assertThat(TextOperation.fromComponents(op(2, "x", -1).toComponents())).isEqualTo(op(2, "x", -1));
    }

    @Test
    void isNoopOnlyForEmptyOrSingleRetain() {
        assertThat(TextOperation.identity(0).isNoop()).isTrue();
        assertThat(TextOperation.identity(5).isNoop()).isTrue();
        assertThat(op("a").isNoop()).isFalse();
        assertThat(op("a", -1).isNoop())
                .as("re-typing a character still changes the operation")
                .isFalse();
    }

    @Test
    void identityRetainsWholeDocument() {
        assertThat(TextOperation.identity(3).apply("abc")).isEqualTo("abc");
        assertThat(TextOperation.identity(0).toComponents()).isEmpty();
    }

    @Test
    void invertUndoesTheOperation() {
        String doc = "a😀bcd";
        TextOperation operation = op(1, -2, "XY", 1, -2);

        TextOperation inverse = operation.invert(doc);

        assertThat(inverse.toComponents()).containsExactly(1, "😀", -2, 1, "cd");
        assertThat(inverse.apply(operation.apply(doc))).isEqualTo(doc);
    }

    @Test
    void invertRejectsDocumentOfWrongLength() {
        assertThatThrownBy(() -> op(3).invert("ab"))
                .isInstanceOf(InvalidOperationException.class)
                .extracting(e -> ((InvalidOperationException) e).reason())
                .isEqualTo(InvalidOperationException.Reason.BASE_LENGTH_MISMATCH);
    }

    @Test
    void equalOperationsHaveEqualHashCodes() {
        assertThat(op(1, "a", -1)).isEqualTo(op(1, -1, "a")).hasSameHashCodeAs(op(1, -1, "a"));
        assertThat(op(1, "a")).isNotEqualTo(op("a", 1));
        assertThat(op(2)).isNotEqualTo(op(1, 1, 1));
    }

    @Test
    void toStringShowsJsonFormWithEscapes() {
        assertThat(op(3, "a\"b\\c\n😀", -2).toString()).isEqualTo("[3,\"a\\\"b\\\\c\\n😀\",-2]");
        assertThat(op("x\uD83D").toString()).isEqualTo("[\"x\\uD83D\"]");
        assertThat(TextOperation.identity(0).toString()).isEqualTo("[]");
    }

    @Test
    void appendJsonEscapesEveryCodeUnitAboveTheGivenOne() {
        assertThat(op(1, "é😀", -1)
                        .appendJson(new StringBuilder("op="), '\u00FF')
                        .toString())
                .isEqualTo("op=[1,\"é\\uD83D\\uDE00\",-1]");
    }

    @Test
    void manyAdjacentInsertsBecomeOneInsertOfAllTheirText() {
        // 200,000 one-character inserts, as the audit's attack frame: joined in place, not by copying the run each time
        List<Object> components = new ArrayList<>();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 200_000; i++) {
            String character = i % 7 == 0 ? "😀" : String.valueOf((char) ('a' + i % 26));
            components.add(character);
            expected.append(character);
        }
        TextOperation joined = TextOperation.fromComponents(components);
        assertThat(joined.toComponents()).containsExactly(expected.toString());
        assertThat(joined.apply("")).isEqualTo(expected.toString());
    }
}
