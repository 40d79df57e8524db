package io.coedit.ot;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.assertj.core.api.AbstractObjectAssert;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.coedit.ot.InvalidOperationException.Reason;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OperationValidationTest {

    private static TextOperation op(Object... components) {
        return TextOperation.fromComponents(Arrays.asList(components));
    }

    private static AbstractObjectAssert<?, Reason> assertRejected(ThrowingCallable call) {
        return assertThatThrownBy(call)
                .isInstanceOf(InvalidOperationException.class)
                .extracting(
                        e -> ((InvalidOperationException) e).reason(), InstanceOfAssertFactories.type(Reason.class));
    }

    static Stream<Arguments> wrongComponentTypes() {
        return Stream.of(
                Arguments.of(true),
                Arguments.of((Object) null),
                Arguments.of(1.5),
                Arguments.of(-0.5f),
                Arguments.of(Double.NaN),
                Arguments.of(Double.POSITIVE_INFINITY),
                Arguments.of(List.of(3)),
                Arguments.of(Map.of("retain", 3)),
                Arguments.of('c'),
                Arguments.of(new BigDecimal("2.5")));
    }

    @ParameterizedTest
    @MethodSource("wrongComponentTypes")
    void rejectsComponentsThatAreNeitherIntegersNorStrings(Object component) {
        List<Object> items = new ArrayList<>();
        items.add(1);
        items.add(component);

        assertRejected(() -> TextOperation.fromComponents(items)).isEqualTo(Reason.WRONG_COMPONENT_TYPE);
    }

    @Test
    void rejectsNullList() {
        assertRejected(() -> TextOperation.fromComponents(null)).isEqualTo(Reason.WRONG_COMPONENT_TYPE);
    }

    @Test
    void rejectsZeroAndEmptyStringAsZeroLength() {
        assertRejected(() -> op(1, 0)).isEqualTo(Reason.ZERO_LENGTH_COMPONENT);
        assertRejected(() -> op(1, -0.0)).isEqualTo(Reason.ZERO_LENGTH_COMPONENT);
        assertRejected(() -> op("a", "")).isEqualTo(Reason.ZERO_LENGTH_COMPONENT);
    }

    @Test
    void rejectsLengthsBeyondIntRange() {
        assertRejected(() -> op(3_000_000_000L)).isEqualTo(Reason.LENGTH_OUT_OF_RANGE);
        assertRejected(() -> op(Long.MIN_VALUE)).isEqualTo(Reason.LENGTH_OUT_OF_RANGE);
        assertRejected(() -> op(Integer.MAX_VALUE, 1)).isEqualTo(Reason.LENGTH_OUT_OF_RANGE);
        assertRejected(() -> op(Integer.MAX_VALUE, -1)).isEqualTo(Reason.LENGTH_OUT_OF_RANGE);
    }

    @Test
    void reportsTheFirstBadComponentInItsMessage() {
        assertThatThrownBy(() -> op(1, "a", false))
                .hasMessageContaining("Component 2")
                .hasMessageContaining("false");
    }

    @Test
    void applyRejectsBaseLengthMismatch() {
        assertRejected(() -> op(2).apply("abc")).isEqualTo(Reason.BASE_LENGTH_MISMATCH);
        assertRejected(() -> op(4).apply("abc")).isEqualTo(Reason.BASE_LENGTH_MISMATCH);
        assertRejected(() -> op("x").apply("a")).isEqualTo(Reason.BASE_LENGTH_MISMATCH);
    }

    @Test
    void lengthIsCheckedBeforeSurrogates() {
        assertRejected(() -> op(2).apply("a😀b")).isEqualTo(Reason.BASE_LENGTH_MISMATCH);
    }

    @Test
    void applyRejectsRetainEndingInsideSurrogatePair() {
        assertRejected(() -> op(2, -1, 1).apply("a😀b")).isEqualTo(Reason.SPLITS_SURROGATE_PAIR);
    }

    @Test
    void adjacentRetainsMergeSoTheirSharedBoundaryIsNoCut() {
        assertThat(op(2, 2).apply("a😀b")).isEqualTo("a😀b");
    }

    @Test
    void applyRejectsDeleteEndingInsideSurrogatePair() {
        assertRejected(() -> op(-1, 1).apply("😀")).isEqualTo(Reason.SPLITS_SURROGATE_PAIR);
        assertRejected(() -> op(1, -1, 2).apply("a😀b")).isEqualTo(Reason.SPLITS_SURROGATE_PAIR);
    }

    @Test
    void applyRejectsInsertBetweenHighAndLowSurrogate() {
        assertRejected(() -> op(2, "x", 2).apply("a😀b")).isEqualTo(Reason.SPLITS_SURROGATE_PAIR);
    }

    @Test
    void rejectsInsertedTextWithLoneSurrogateAtEitherEnd() {
        assertRejected(() -> op(1, "\uDE00x", 1).apply("ab")).isEqualTo(Reason.SPLITS_SURROGATE_PAIR);
        assertRejected(() -> op(1, "x\uD83D", 1).apply("ab")).isEqualTo(Reason.SPLITS_SURROGATE_PAIR);
        assertRejected(() -> op("\uD83D").validateAgainst("")).isEqualTo(Reason.SPLITS_SURROGATE_PAIR);
    }

    @Test
    void acceptsSurrogatePairAssembledFromAdjacentInserts() {
        TextOperation operation = op(1, "\uD83D", "\uDE00", 1);

        assertThat(operation.apply("ab")).isEqualTo("a😀b");
    }

    @Test
    void acceptsEditsAroundWholeEmoji() {
        assertThatCode(() -> op(1, "🎉", -2, "👍", 1).validateAgainst("a😀b")).doesNotThrowAnyException();
        assertThat(op(1, "🎉", -2, "👍", 1).apply("a😀b")).isEqualTo("a🎉👍b");
    }

    @Test
    void validateAgainstChecksWithoutApplying() {
        TextOperation splitting = op(1, -1);

        assertRejected(() -> splitting.validateAgainst("😀")).isEqualTo(Reason.SPLITS_SURROGATE_PAIR);
        assertThatCode(() -> splitting.validateAgainst("ab")).doesNotThrowAnyException();
        assertThat(splitting.apply("ab")).isEqualTo("a");
    }

    @Test
    void exceptionCarriesStableCodeAndReadableMessage() {
        InvalidOperationException error = new InvalidOperationException(Reason.BASE_LENGTH_MISMATCH, "too short");

        assertThat(error.code()).isEqualTo("BASE_LENGTH_MISMATCH");
        assertThat(error.reason()).isEqualTo(Reason.BASE_LENGTH_MISMATCH);
        assertThat(error).isInstanceOf(RuntimeException.class).hasMessage("too short");
    }
}
