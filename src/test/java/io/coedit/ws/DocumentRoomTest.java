package io.coedit.ws;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import io.coedit.document.Author;
import io.coedit.document.CommittedOp;
import io.coedit.document.DocumentId;
import io.coedit.document.DocumentSnapshot;
import io.coedit.ot.TextOperation;
import io.coedit.security.CoeditUser;
import io.coedit.security.Scope;

import static org.assertj.core.api.Assertions.assertThat;

/** The room's delivery rules, with sessions whose sends are recorded instead of written to a socket. */
class DocumentRoomTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DocumentId DOC = new DocumentId("room");
    private static final WebSocketProperties PROPERTIES = new Binder(new MapConfigurationPropertySource())
            .bindOrCreate("coedit.ws", Bindable.of(WebSocketProperties.class));

    private final ServerMessages messages = new ServerMessages(JSON);
    private final DocumentRoom room = room(messages);

    /** A room with the default limits that writes its messages with {@code messages}. */
    private static DocumentRoom room(ServerMessages messages) {
        return new DocumentRoom(
                DOC,
                messages,
                new TestRelay(),
                PROPERTIES.roomRecentOps(),
                PROPERTIES.roomRecentBytes().toBytes(),
                PROPERTIES.roomRecentAge());
    }

    /** A session and the frames it was sent. */
    private record Recorded(CollabSession session, RecordingFrameSink sink) {
        List<JsonNode> messages() {
            return sink.messages();
        }

        List<String> types() {
            return sink.types();
        }

        List<String> frames() {
            return sink.frames();
        }
    }

    static CollabSession session(String id, RecordingFrameSink sink, DocumentId doc) {
        CoeditUser user = new CoeditUser(
                id,
                id,
                Set.of(Scope.DOC_READ, Scope.DOC_WRITE),
                Set.of("*"),
                Instant.now().plus(Duration.ofHours(1)),
                Instant.now());
        return new CollabSession(
                sink.factory(),
                PROPERTIES,
                "client-" + id,
                doc,
                user,
                System.nanoTime(),
                Runnable::run,
                closed -> {},
                new PartialMessageBudget(1 << 20));
    }

    private static Recorded session(String id) {
        RecordingFrameSink sink = new RecordingFrameSink(id);
        return new Recorded(session(id, sink, DOC), sink);
    }

    private static CommittedOp op(long rev, String id) {
        return op(rev, id, "author");
    }

    private static CommittedOp op(long rev, String id, String authorId) {
        return new CommittedOp(
                rev,
                TextOperation.builder().retain((int) rev - 1).insert("x").build(),
                new Author(authorId, authorId),
                id,
                Instant.now());
    }

    private static DocumentSnapshot snapshot(long rev) {
        return new DocumentSnapshot(DOC, "epoch", rev, "x".repeat((int) rev));
    }

    @Test
    void deliversOpsInRevisionOrderWhateverOrderTheyArriveIn() {
        Recorded alice = session("alice");
        room.join(alice.session(), snapshot(0), 1000);
        room.deliver(op(2, "b:2"));
        room.deliver(op(1, "b:1"));
        room.deliver(op(1, "b:1"));
        List<Long> revs = alice.messages().stream()
                .filter(message -> "op".equals(message.get("type").asString()))
                .map(message -> message.get("rev").asLong())
                .toList();
        assertThat(revs).containsExactly(1L, 2L);
    }

    @Test
    void acksTheAuthorAndSendsTheOpToEveryoneElse() {
        Recorded alice = session("alice");
        Recorded bob = session("bob");
        room.join(alice.session(), snapshot(0), 1000);
        room.join(bob.session(), snapshot(0), 1000);
        alice.session().acks().submitted("a:1");
        room.deliver(op(1, "a:1", "alice"));
        assertThat(alice.types()).endsWith("ack");
        assertThat(bob.types()).endsWith("op");
    }

    @Test
    void theOpFrameIsEncodedOnceForEveryOtherSessionAndNotAtAllWhenOnlyItsSubmitterIsHere() {
        AtomicInteger encoded = new AtomicInteger();
        ServerMessages counting = new ServerMessages(JSON) {
            @Override
            String op(CommittedOp op) {
                encoded.incrementAndGet();
                return super.op(op);
            }
        };
        DocumentRoom counted = room(counting);
        Recorded alice = session("alice");
        counted.join(alice.session(), snapshot(0), 1000);
        alice.session().acks().submitted("a:1");
        counted.deliver(op(1, "a:1", "alice"));
        assertThat(alice.types()).endsWith("ack");
        assertThat(encoded).hasValue(0);

        Recorded bob = session("bob");
        Recorded carol = session("carol");
        counted.join(bob.session(), snapshot(1), 1000);
        counted.join(carol.session(), snapshot(1), 1000);
        counted.deliver(op(2, "a:2", "dave"));
        assertThat(List.of(alice.types(), bob.types(), carol.types()))
                .allSatisfy(types -> assertThat(types).endsWith("op"));
        assertThat(encoded).hasValue(1);
        assertThat(bob.frames().get(bob.frames().size() - 1))
                .isEqualTo(carol.frames().get(carol.frames().size() - 1));
    }

    @Test
    void anotherUsersOpWithTheIdISubmittedIsNotMyAck() {
        Recorded alice = session("alice");
        room.join(alice.session(), snapshot(0), 1000);
        alice.session().acks().submitted("a:1");
        // Mallory sent an op under Alice's next id: Alice gets it as someone else's op, and still waits for hers
        room.deliver(op(1, "a:1", "mallory"));
        assertThat(alice.types()).endsWith("op");
        room.deliver(op(2, "a:1", "alice"));
        assertThat(alice.types()).endsWith("ack");
    }

    @Test
    void aJoinerWhoseSnapshotIsBehindTheRoomGetsTheOpsInBetween() {
        Recorded alice = session("alice");
        room.join(alice.session(), snapshot(0), 1000);
        room.deliver(op(1, "a:1"));
        room.deliver(op(2, "a:2"));
        Recorded late = session("late");
        // its snapshot was read before ops 1 and 2 reached the room
        assertThat(room.join(late.session(), snapshot(0), 1000)).isTrue();
        List<JsonNode> received = late.messages();
        assertThat(received.get(0).get("type").asString()).isEqualTo("snapshot");
        assertThat(received.stream()
                        .filter(message -> "op".equals(message.get("type").asString()))
                        .map(message -> message.get("rev").asLong()))
                .containsExactly(1L, 2L);
    }

    @Test
    void refusesASnapshotTooOldToBringLevel() {
        Recorded alice = session("alice");
        room.join(alice.session(), snapshot(0), 1000);
        for (int rev = 1; rev <= PROPERTIES.roomRecentOps() + 5; rev++) {
            room.deliver(op(rev, "a:" + rev));
        }
        Recorded late = session("late");
        assertThat(room.join(late.session(), snapshot(0), 1000)).isFalse();
        assertThat(late.frames()).isEmpty();
    }

    @Test
    void opsCommittedLongBeforeTheNewestAreNotKeptForJoiners() {
        Recorded alice = session("alice");
        room.join(alice.session(), snapshot(0), 1000);
        Instant start = Instant.parse("2026-12-03T00:00:00Z");
        long step = PROPERTIES.roomRecentAge().toMillis() / 2;
        for (int rev = 1; rev <= 6; rev++) {
            CommittedOp op = op(rev, "a:" + rev);
            room.deliver(new CommittedOp(rev, op.op(), op.author(), op.clientOpId(), start.plusMillis(rev * step)));
        }

        // op 6 and the two within the window before it
        assertThat(room.recentCount()).isEqualTo(3);
        assertThat(room.join(session("recent").session(), snapshot(3), 1000)).isTrue();
        // a snapshot from before them cannot be brought level here: the joiner reads a newer one
        assertThat(room.join(session("late").session(), snapshot(2), 1000)).isFalse();
    }

    @Test
    void theRecentOpsKeptForJoinersStayWithinTheirByteBudget() {
        DocumentRoom small = new DocumentRoom(DOC, messages, new TestRelay(), 1000, 4_000, PROPERTIES.roomRecentAge());
        Recorded alice = session("alice");
        small.join(alice.session(), snapshot(0), 1000);
        String big = "y".repeat(500);
        for (int rev = 1; rev <= 50; rev++) {
            small.deliver(new CommittedOp(
                    rev,
                    TextOperation.builder().retain((rev - 1) * 500).insert(big).build(),
                    new Author("a", "a"),
                    "a:" + rev,
                    Instant.now()));
        }
        assertThat(small.recentBytes()).isLessThanOrEqualTo(4_000);
        assertThat(small.recentCount()).isBetween(1, 10);
        // what was dropped cannot be caught up from here: a joiner that read an old snapshot reads a newer one
        assertThat(small.join(session("late").session(), snapshot(10), 1000)).isFalse();
    }

    @Test
    void aCursorThatArrivesAfterTheLeaveIsNotAnnounced() {
        Recorded alice = session("alice");
        Recorded bob = session("bob");
        room.join(alice.session(), snapshot(0), 1000);
        room.join(bob.session(), snapshot(0), 1000);
        room.leave(bob.session());
        int before = alice.frames().size();
        room.cursor(bob.session(), 0, 0, 0);
        assertThat(alice.frames()).hasSize(before);
    }

    @Test
    void aJoinerIsToldEveryMemberWithTheCursorTheyHaveNow() {
        Recorded alice = session("alice");
        Recorded bob = session("bob");
        room.join(alice.session(), snapshot(0), 1000);
        room.join(bob.session(), snapshot(0), 1000); // alice's entry is serialized for bob
        room.cursor(alice.session(), 2, 1, 3);
        Recorded carol = session("carol");
        room.join(carol.session(), snapshot(0), 1000);

        JsonNode presence = carol.sink.last("presence");
        assertThat(presence.get("members").values())
                .containsExactlyInAnyOrder(
                        JSON.readTree("{\"clientId\":\"client-alice\",\"user\":{\"id\":\"alice\",\"name\":\"alice\"},"
                                + "\"pos\":2,\"sel\":[1,3]}"),
                        JSON.readTree("{\"clientId\":\"client-bob\",\"user\":{\"id\":\"bob\",\"name\":\"bob\"}}"),
                        JSON.readTree(
                                "{\"clientId\":\"client-carol\",\"user\":{\"id\":\"carol\",\"name\":\"carol\"}}"));
        assertThat(presence.propertyNames()).containsExactly("type", "members");
        assertThat(bob.sink.last("presence").get("members")).hasSize(2);
    }

    @Test
    void aJoinerIsToldTheNameOfAMembersRefreshedToken() {
        Recorded alice = session("alice");
        room.join(alice.session(), snapshot(0), 1000);
        room.join(session("bob").session(), snapshot(0), 1000); // alice's entry is serialized for bob
        alice.session()
                .replaceUser(new CoeditUser(
                        "alice",
                        "Alice Liddell",
                        Set.of(Scope.DOC_READ, Scope.DOC_WRITE),
                        Set.of("*"),
                        Instant.now().plus(Duration.ofHours(2)),
                        Instant.now()));
        Recorded carol = session("carol");
        room.join(carol.session(), snapshot(0), 1000);

        assertThat(carol.sink.last("presence").get("members").values())
                .filteredOn(member -> member.get("clientId").asString().equals("client-alice"))
                .singleElement()
                .satisfies(
                        member -> assertThat(member.at("/user/name").asString()).isEqualTo("Alice Liddell"));
    }
}
