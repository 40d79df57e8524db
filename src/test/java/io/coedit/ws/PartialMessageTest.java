package io.coedit.ws;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartialMessageTest {

    private final PartialMessageBudget budget = new PartialMessageBudget(1 << 20);

    @Test
    void joinsPartsIntoOneMessage() {
        PartialMessage partial = new PartialMessage(100, budget);
        assertThat(partial.append("ab", false, 0)).isNull();
        assertThat(partial.append("cd", false, 0)).isNull();
        assertThat(partial.append("e", true, 0)).isEqualTo("abcde");
        assertThat(partial.append("next", true, 0)).isEqualTo("next");
        assertThat(budget.held()).isZero();
    }

    @Test
    void countsTheLimitInUtf8Bytes() {
        assertThat(PartialMessage.utf8Length("aé中😀")).isEqualTo(1 + 2 + 3 + 4);
        PartialMessage partial = new PartialMessage(6, budget);
        assertThat(partial.append("中中", true, 0)).isEqualTo("中中");
        assertThatThrownBy(() -> partial.append("中中中", true, 0))
                .isInstanceOf(PartialMessage.MessageTooBigException.class);
    }

    @Test
    void dropsTheWholeMessageOnceOverTheLimit() {
        PartialMessage partial = new PartialMessage(5, budget);
        partial.append("abc", false, 0);
        assertThatThrownBy(() -> partial.append("def", false, 0))
                .isInstanceOf(PartialMessage.MessageTooBigException.class);
        assertThat(budget.held()).isZero();
        assertThat(partial.append("ok", true, 0)).isEqualTo("ok");
    }

    @Test
    void unfinishedMessagesOfAllSessionsTogetherStayWithinTheBudget() {
        PartialMessageBudget small = new PartialMessageBudget(100);
        PartialMessage first = new PartialMessage(1000, small);
        PartialMessage second = new PartialMessage(1000, small);
        first.append("x".repeat(30), false, 0);
        assertThat(small.held()).isEqualTo(60);
        // the second sender would pass the budget: its message is dropped, the first keeps its parts
        assertThatThrownBy(() -> second.append("y".repeat(30), false, 0))
                .isInstanceOf(PartialMessageBudget.ExhaustedException.class);
        assertThat(small.held()).isEqualTo(60);
        assertThat(first.append("z", true, 0)).isEqualTo("x".repeat(30) + "z");
        assertThat(small.held()).isZero();
    }

    @Test
    void knowsHowLongAMessageHasBeenLeftUnfinished() {
        PartialMessage partial = new PartialMessage(1000, budget);
        partial.append("ab", false, 1_000);
        assertThat(partial.unfinishedSince(500)).isFalse();
        assertThat(partial.unfinishedSince(2_000)).isTrue();
        partial.release();
        assertThat(partial.unfinishedSince(2_000)).isFalse();
        assertThat(budget.held()).isZero();
    }
}
