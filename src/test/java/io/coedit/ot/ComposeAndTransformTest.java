package io.coedit.ot;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.coedit.ot.InvalidOperationException.Reason;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ComposeAndTransformTest {

    private static TextOperation op(Object... components) {
        return TextOperation.fromComponents(List.of(components));
    }

    @Test
    void composeAgreesWithSequentialApply() {
        TextOperation first = op(1, "XY", -1, 1);
        TextOperation second = op(-1, 2, "!", 1);

        TextOperation composed = TextOperation.compose(first, second);

        assertThat(composed.apply("abc"))
                .isEqualTo(second.apply(first.apply("abc")))
                .isEqualTo("XY!c");
        assertThat(composed.toComponents()).containsExactly("XY!", -2, 1);
    }

    @Test
    void composeCancelsTextInsertedThenDeleted() {
        TextOperation composed = op(3, "abc").compose(op(3, -3));

        assertThat(composed.toComponents()).containsExactly(3);
        assertThat(composed.isNoop()).isTrue();
    }

    @Test
    void composeRejectsMismatchedLengths() {
        assertThatThrownBy(() -> TextOperation.compose(op(3, "x"), op(3)))
                .isInstanceOfSatisfying(
                        InvalidOperationException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.BASE_LENGTH_MISMATCH));
    }

    @Test
    void transformPutsServerInsertFirstAtSamePosition() {
        TextOperation server = op(1, "S", 1);
        TextOperation client = op(1, "C", 1);

        TransformedPair pair = TextOperation.transform(server, client);

        assertThat(pair.second().apply(server.apply("ab"))).isEqualTo("aSCb");
        assertThat(pair.first().apply(client.apply("ab"))).isEqualTo("aSCb");
        assertThat(pair.first().toComponents()).containsExactly(1, "S", 2);
        assertThat(pair.second().toComponents()).containsExactly(2, "C", 1);
    }

    @Test
    void transformArgumentOrderDecidesTies() {
        TextOperation server = op(1, "S", 1);
        TextOperation client = op(1, "C", 1);

        TransformedPair swapped = TextOperation.transform(client, server);

        assertThat(swapped.second().apply(client.apply("ab"))).isEqualTo("aCSb");
    }

    @Test
    void transformKeepsInsertIntoTextTheOtherDeleted() {
        TextOperation insert = op(2, "X", 2);
        TextOperation deleteAll = op(-4);

        TransformedPair pair = TextOperation.transform(insert, deleteAll);

        assertThat(pair.first().toComponents()).containsExactly("X");
        assertThat(pair.second().toComponents()).containsExactly(-2, 1, -2);
        assertThat(pair.second().apply(insert.apply("abcd"))).isEqualTo("X");
    }

    @Test
    void transformDeletesOverlappingRangesOnlyOnce() {
        String doc = "abcdef";
        TextOperation first = op(1, -3, 2); // removes bcd
        TextOperation second = op(2, -3, 1); // removes cde

        TransformedPair pair = TextOperation.transform(first, second);

        assertThat(pair.first().toComponents()).containsExactly(1, -1, 1);
        assertThat(pair.second().toComponents()).containsExactly(1, -1, 1);
        assertThat(pair.second().apply(first.apply(doc)))
                .isEqualTo(pair.first().apply(second.apply(doc)))
                .isEqualTo("af");
    }

    @Test
    void transformAgainstNoopChangesNothing() {
        TextOperation edit = op(1, "😀", -1, 1);

        TransformedPair pair = TextOperation.transform(edit, TextOperation.identity(3));

        assertThat(pair.first()).isEqualTo(edit);
        assertThat(pair.second()).isEqualTo(TextOperation.identity(4));
    }

    @Test
    void transformedOperationsComposeToTheSameOperation() {
        TextOperation a = op("x", 2, -1, "yz");
        TextOperation b = op(1, "q", -2);

        TransformedPair pair = TextOperation.transform(a, b);

        assertThat(a.compose(pair.second())).isEqualTo(b.compose(pair.first()));
    }

    @Test
    void transformRejectsDifferentBaseLengths() {
        assertThatThrownBy(() -> TextOperation.transform(op(3), op(2)))
                .isInstanceOfSatisfying(
                        InvalidOperationException.class,
                        e -> assertThat(e.code()).isEqualTo("BASE_LENGTH_MISMATCH"));
    }
}
