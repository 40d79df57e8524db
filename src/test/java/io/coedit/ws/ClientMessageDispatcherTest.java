package io.coedit.ws;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.coedit.document.DocumentId;
import io.coedit.ot.TextOperation;
import io.coedit.security.Scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What a session hears back for each message it sends, with a real store and submit queue behind the dispatcher. */
class ClientMessageDispatcherTest {

    private static final DocumentId DOC = new DocumentId("dispatch");

    private final WsUnitFixture fixture = new WsUnitFixture();
    private final RecordingFrameSink aliceFrames = new RecordingFrameSink("alice");
    private final RecordingFrameSink bobFrames = new RecordingFrameSink("bob");
    private final CollabSession alice = fixture.join("alice", DOC, aliceFrames, Scope.DOC_READ, Scope.DOC_WRITE);
    private final CollabSession bob = fixture.join("bob", DOC, bobFrames, Scope.DOC_READ);

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void anOpIsAckedToItsAuthorAndSentToTheOthersInTheDocument() {
        fixture.dispatcher.dispatch(
                alice,
                new ClientMessage.Op(0, TextOperation.builder().insert("hi").build(), "alice-tab:1"));
        await().until(() -> aliceFrames.last("ack") != null);
        assertThat(aliceFrames.last("ack").get("rev").asLong()).isEqualTo(1);
        assertThat(aliceFrames.types()).doesNotContain("op");
        await().until(() -> bobFrames.last("op") != null);
        JsonNode op = bobFrames.last("op");
        assertThat(op.get("rev").asLong()).isEqualTo(1);
        assertThat(op.get("id").asString()).isEqualTo("alice-tab:1");
        assertThat(fixture.documents.snapshot(DOC).content()).isEqualTo("hi");
    }

    @Test
    void aResubmittedOpIsAckedAgainAndAppliedOnce() {
        ClientMessage.Op op =
                new ClientMessage.Op(0, TextOperation.builder().insert("once").build(), "alice-tab:1");
        fixture.dispatcher.dispatch(alice, op);
        await().until(() -> aliceFrames.last("ack") != null);
        aliceFrames.clear();
        // the ack was lost on the way: the client sends the same op again
        fixture.dispatcher.dispatch(alice, op);
        await().until(() -> aliceFrames.last("ack") != null);
        assertThat(aliceFrames.last("ack").get("rev").asLong()).isEqualTo(1);
        assertThat(fixture.documents.snapshot(DOC).content()).isEqualTo("once");
        assertThat(fixture.documents.snapshot(DOC).rev()).isEqualTo(1);
    }

    @Test
    void aReadOnlySessionsOpIsRefusedAsForbiddenWithItsId() {
        fixture.dispatcher.dispatch(
                bob, new ClientMessage.Op(0, TextOperation.builder().insert("x").build(), "bob-tab:1"));
        JsonNode error = bobFrames.last("error");
        assertThat(error.get("code").asString()).isEqualTo("forbidden");
        assertThat(error.get("id").asString()).isEqualTo("bob-tab:1");
        assertThat(fixture.documents.snapshot(DOC).rev()).isZero();
    }

    @Test
    void anOpThatDoesNotFitTheDocumentIsRefusedWithItsReasonAndNoAckIsOwed() {
        fixture.dispatcher.dispatch(
                alice, new ClientMessage.Op(0, TextOperation.builder().retain(5).build(), "alice-tab:1"));
        await().until(() -> aliceFrames.last("error") != null);
        JsonNode error = aliceFrames.last("error");
        assertThat(error.get("code").asString()).isEqualTo("invalid_op");
        assertThat(error.get("reason").asString()).isEqualTo("BASE_LENGTH_MISMATCH");
        assertThat(error.get("id").asString()).isEqualTo("alice-tab:1");
        // the refused id is no longer owed an ack
        assertThat(alice.acks().ackForDuplicate(0, "alice-tab:1", 10, fixture.messages))
                .isNull();
        assertThat(fixture.documents.snapshot(DOC).rev()).isZero();
    }

    @Test
    void aCursorReachesTheOtherSessionsButNotItsOwn() {
        fixture.dispatcher.dispatch(alice, new ClientMessage.Cursor(0, 0, 0));
        assertThat(bobFrames.last("cursor").get("clientId").asString()).isEqualTo("client-alice");
        assertThat(aliceFrames.types()).doesNotContain("cursor");
        assertThat(fixture.relay.published)
                .extracting(update -> update.kind().name())
                .contains("CURSOR");
    }

    @Test
    void aStaleBaseRevisionIsRefusedAndTheDocumentIsUnchanged() {
        fixture.dispatcher.dispatch(
                alice,
                new ClientMessage.Op(0, TextOperation.builder().insert("a").build(), "alice-tab:1"));
        await().until(() -> aliceFrames.last("ack") != null);
        fixture.dispatcher.dispatch(
                alice,
                new ClientMessage.Op(
                        7, TextOperation.builder().retain(1).insert("b").build(), "alice-tab:2"));
        await().until(() -> aliceFrames.last("error") != null);
        assertThat(aliceFrames.last("error").get("code").asString()).isEqualTo("stale_revision");
        assertThat(fixture.documents.snapshot(DOC).content()).isEqualTo("a");
    }
}
