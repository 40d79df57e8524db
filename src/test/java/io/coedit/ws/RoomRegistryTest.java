package io.coedit.ws;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.coedit.document.Author;
import io.coedit.document.CommittedOp;
import io.coedit.document.DocumentId;
import io.coedit.document.SubmitResult;
import io.coedit.ot.TextOperation;
import io.coedit.security.Scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Rooms come and go with their sessions, and heal from the op log what neither a submit nor the relay brought. */
class RoomRegistryTest {

    private static final DocumentId DOC = new DocumentId("registry");

    private final WsUnitFixture fixture = new WsUnitFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    /** Commits an op in the store behind the rooms' back, as another instance would. */
    private CommittedOp commitElsewhere(String text, String id) {
        long rev = fixture.documents.snapshot(DOC).rev();
        String epoch = fixture.documents.snapshot(DOC).epoch();
        SubmitResult result = fixture.documents.submit(
                DOC,
                epoch,
                rev,
                TextOperation.builder()
                        .retain(fixture.documents.snapshot(DOC).content().length())
                        .insert(text)
                        .build(),
                id,
                new Author("elsewhere", "elsewhere"));
        return ((SubmitResult.Accepted) result).op();
    }

    private static List<Long> opRevs(RecordingFrameSink sink) {
        return sink.messages().stream()
                .filter(message -> "op".equals(message.get("type").asString()))
                .map(message -> message.get("rev").asLong())
                .toList();
    }

    @Test
    void aRoomIsSubscribedFromItsFirstSessionToItsLast() {
        CollabSession first = fixture.join("a", DOC, new RecordingFrameSink("a"), Scope.DOC_READ);
        CollabSession second = fixture.join("b", DOC, new RecordingFrameSink("b"), Scope.DOC_READ);
        assertThat(fixture.relay.listeners).containsOnlyKeys(DOC);
        assertThat(fixture.rooms.roomCount()).isEqualTo(1);
        fixture.rooms.leave(first);
        assertThat(fixture.relay.listeners).containsOnlyKeys(DOC);
        fixture.rooms.leave(second);
        assertThat(fixture.relay.listeners).isEmpty();
        assertThat(fixture.rooms.roomCount()).isZero();
        assertThat(fixture.rooms.localSessions(DOC)).isEmpty();
    }

    @Test
    void anOpThatOvertookAnotherWaitsForItAndTheGapIsReadFromTheLog() {
        RecordingFrameSink sink = new RecordingFrameSink("reader");
        fixture.join("reader", DOC, sink, Scope.DOC_READ);
        commitElsewhere("1", "x:1");
        CommittedOp second = commitElsewhere("2", "x:2");
        // the relay dropped rev 1 and brings rev 2: the room holds it back and reads rev 1 from the log
        fixture.relay
                .listeners
                .get(DOC)
                .committed(fixture.documents.snapshot(DOC).epoch(), second);
        await().until(() -> opRevs(sink).size() == 2);
        assertThat(opRevs(sink)).containsExactly(1L, 2L);
        assertThat(fixture.rooms.heals()).isEqualTo(1);
    }

    @Test
    void theHeadCheckBringsALostLastOpAtTheCheckAfterTheOneThatSawIt() {
        RecordingFrameSink sink = new RecordingFrameSink("reader");
        fixture.join("reader", DOC, sink, Scope.DOC_READ);
        fixture.rooms.checkHeads();
        commitElsewhere("lost", "x:1");
        fixture.rooms.checkHeads();
        assertThat(opRevs(sink))
                .as("still possibly on its way through the relay")
                .isEmpty();
        fixture.rooms.checkHeads();
        assertThat(opRevs(sink)).containsExactly(1L);
        assertThat(fixture.rooms.heals()).isEqualTo(1);
    }

    @Test
    void anOpTheRelayBringsBeforeTheNextCheckIsNotReadFromTheLog() {
        RecordingFrameSink sink = new RecordingFrameSink("reader");
        fixture.join("reader", DOC, sink, Scope.DOC_READ);
        CommittedOp op = commitElsewhere("in flight", "x:1");
        fixture.rooms.checkHeads();
        fixture.relay
                .listeners
                .get(DOC)
                .committed(fixture.documents.snapshot(DOC).epoch(), op);
        fixture.rooms.checkHeads();
        fixture.rooms.checkHeads();
        assertThat(opRevs(sink)).containsExactly(1L);
        assertThat(fixture.rooms.heals()).isZero();
    }

    @Test
    void aJoinerIsSentTheSnapshotThenTheMembersAndIsAnnouncedToTheOthers() {
        RecordingFrameSink first = new RecordingFrameSink("first");
        fixture.join("first", DOC, first, Scope.DOC_READ);
        commitElsewhere("text", "x:1");
        fixture.rooms.checkHeads();
        fixture.rooms.checkHeads();
        RecordingFrameSink joiner = new RecordingFrameSink("joiner");
        fixture.join("joiner", DOC, joiner, Scope.DOC_READ);
        assertThat(joiner.types()).containsExactly("snapshot", "presence");
        assertThat(joiner.last("snapshot").get("content").asString()).isEqualTo("text");
        assertThat(joiner.last("presence").get("members")).hasSize(2);
        assertThat(first.last("join").get("clientId").asString()).isEqualTo("client-joiner");
        assertThat(fixture.rooms.localSessions(DOC)).hasSize(2);
    }
}
