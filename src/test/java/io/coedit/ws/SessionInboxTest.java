package io.coedit.ws;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionInboxTest {

    private final PartialMessageBudget budget = new PartialMessageBudget(1_000);
    private final SessionInbox inbox = new SessionInbox(budget);

    @Test
    void messagesGoStraightThroughWhileNothingWaitsOnTheStore() {
        assertThat(inbox.admit("{\"type\":\"cursor\"}")).isTrue();
        assertThat(budget.held()).isZero();
    }

    @Test
    void messagesArrivingDuringAReadAreHeldAndHandedOutInOrderThenGoThroughAgain() {
        inbox.away();
        assertThat(inbox.admit("first")).isFalse();
        assertThat(inbox.admit("second")).isFalse();
        assertThat(budget.held()).isEqualTo(2L * "firstsecond".length());
        assertThat(inbox.next()).isEqualTo("first");
        assertThat(inbox.next()).isEqualTo("second");
        assertThat(inbox.next()).isNull();
        assertThat(budget.held()).isZero();
        assertThat(inbox.admit("third")).isTrue();
    }

    @Test
    void heldMessagesAreBoundedInCountAndInTheInstancesBytes() {
        inbox.away();
        for (int i = 0; i < SessionInbox.MAX_HELD; i++) {
            inbox.admit("m");
        }
        assertThatThrownBy(() -> inbox.admit("m")).isInstanceOf(SessionInbox.TooManyHeldException.class);

        SessionInbox other = new SessionInbox(budget);
        other.away();
        assertThatThrownBy(() -> other.admit("x".repeat(500)))
                .isInstanceOf(PartialMessageBudget.ExhaustedException.class);
        assertThat(other.heldCount()).isZero();
    }

    @Test
    void closingGivesTheHeldBytesBackAndDropsThem() {
        inbox.away();
        inbox.admit("held");
        inbox.release();
        assertThat(budget.held()).isZero();
        assertThat(inbox.next()).isNull();
        assertThat(inbox.admit("late")).isTrue();
    }
}
