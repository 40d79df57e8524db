package io.coedit.document;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.coedit.ot.TextOperation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommittedOpTest {

    private static final TextOperation RETAIN_THEN_INSERT = TextOperation.fromComponents(List.of(3, "héllo"));

    @Test
    void anOpWeighsItsInsertedTextAndIdsAtTwoBytesACodeUnitAndEachComponent() {
        CommittedOp op = new CommittedOp(1, RETAIN_THEN_INSERT, new Author("u", "Ann"), "c:1", Instant.EPOCH);

        // 96 for any op, 2 x (3 + 1 + 3) for the ids, 12 for the retain, 8 + 2 x 5 for the insert
        assertThat(op.sizeInBytes()).isEqualTo(96 + 14 + 12 + 18);
    }

    @Test
    void anAuthorWithoutANameWeighsNothingForIt() {
        CommittedOp op = new CommittedOp(1, RETAIN_THEN_INSERT, new Author("u", null), "c:1", Instant.EPOCH);

        assertThat(op.sizeInBytes()).isEqualTo(96 + 8 + 12 + 18);
    }

    @Test
    void aSizeBelowTheSmallestOpsIsRefused() {
        assertThatThrownBy(() -> new CommittedOp(
                        1, RETAIN_THEN_INSERT, new Author("u", "Ann"), "c:1", Instant.EPOCH, CommittedOp.MIN_BYTES - 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
