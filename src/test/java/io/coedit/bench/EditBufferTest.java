package io.coedit.bench;

import org.junit.jupiter.api.Test;

import io.coedit.ot.TextOperation;
import io.coedit.support.RandomEdits;

import static org.assertj.core.api.Assertions.assertThat;

class EditBufferTest {

    @Test
    void editingInPlaceEndsWithTheTextThatApplyingEachOpBuilds() {
        RandomEdits random = new RandomEdits(7);
        String expected = random.doc();
        EditBuffer buffer = new EditBuffer();
        buffer.reset(expected);
        for (int i = 0; i < 2_000; i++) {
            TextOperation op = random.operation(expected);
            expected = op.apply(expected);
            assertThat(buffer.apply(op)).isTrue();
        }
        assertThat(buffer.toString()).isEqualTo(expected);
    }

    @Test
    void anOpForAnotherLengthIsRefusedAndChangesNothing() {
        EditBuffer buffer = new EditBuffer();
        buffer.reset("abc");
        TextOperation forTwoChars =
                TextOperation.builder().retain(2).insert("x").build();

        assertThat(buffer.apply(forTwoChars)).isFalse();
        assertThat(buffer).hasToString("abc");
    }
}
