package io.coedit.document;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.coedit.error.ErrorCode;
import io.coedit.ot.TextOperation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DocumentServiceTest {

    private static final Author ALICE = new Author("alice", "Alice");
    private final DocumentId doc = new DocumentId("notes");
    private final DocumentService service =
            new DocumentService(new InMemoryDocumentStore(5), new DocumentProperties(20, 5), Clock.systemUTC());

    private String epoch() {
        return service.snapshot(doc).epoch();
    }

    private static TextOperation op(Object... components) {
        return TextOperation.fromComponents(List.of(components));
    }

    @Test
    void newDocumentIsEmptyAtRevisionZero() {
        DocumentSnapshot snapshot = service.snapshot(doc);
        assertThat(snapshot.rev()).isZero();
        assertThat(snapshot.content()).isEmpty();
        assertThat(service.snapshot(doc).epoch()).isEqualTo(snapshot.epoch());
    }

    @Test
    void eachAcceptedOpGetsTheNextRevision() {
        String epoch = epoch();
        assertThat(service.submit(doc, epoch, 0, op("ab"), "c:1", ALICE).rev()).isEqualTo(1);
        assertThat(service.submit(doc, epoch, 1, op(2, "c"), "c:2", ALICE).rev())
                .isEqualTo(2);
        assertThat(service.snapshot(doc).content()).isEqualTo("abc");
    }

    @Test
    void transformsAgainstOpsAfterTheBaseRevisionWithTheIncomingOpFirstOnATie() {
        String epoch = epoch();
        service.submit(doc, epoch, 0, op("hello"), "a:1", ALICE);
        SubmitResult result = service.submit(doc, epoch, 0, op("X"), "b:1", new Author("bob", "Bob"));
        assertThat(((SubmitResult.Accepted) result).op().op()).isEqualTo(op("X", 5));
        assertThat(service.snapshot(doc).content()).isEqualTo("Xhello");
    }

    @Test
    void resubmissionReturnsTheOriginalAndChangesNothing() {
        String epoch = epoch();
        SubmitResult first = service.submit(doc, epoch, 0, op("once"), "c:1", ALICE);
        SubmitResult again = service.submit(doc, epoch, 0, op("once"), "c:1", ALICE);
        assertThat(again).isInstanceOf(SubmitResult.Duplicate.class);
        assertThat(again.rev()).isEqualTo(first.rev());
        assertThat(service.snapshot(doc).content()).isEqualTo("once");
        assertThat(service.snapshot(doc).rev()).isEqualTo(1);
    }

    @Test
    void resubmissionAnsweredByTheStoreItselfIsAppliedOnce() {
        String epoch = epoch();
        SubmitResult first = service.submit(doc, epoch, 0, op("a"), "late:1", ALICE);
        service.submit(doc, epoch, 1, op(1, "b"), "other:1", ALICE);
        // still transformable against the retained ops, so the store's append is what recognises it
        SubmitResult again = service.submit(doc, epoch, 0, op("a"), "late:1", ALICE);
        assertThat(again).isInstanceOf(SubmitResult.Duplicate.class);
        assertThat(again.rev()).isEqualTo(first.rev());
        assertThat(service.snapshot(doc).content()).isEqualTo("ab");
    }

    @Test
    void resubmissionWhoseBaseLeftTheRetainedHistoryStillGetsTheOriginal() {
        String epoch = epoch();
        service.submit(doc, epoch, 0, op("x"), "other:1", ALICE);
        service.submit(doc, epoch, 1, op(1, "x"), "other:2", ALICE);
        SubmitResult first = service.submit(doc, epoch, 2, op(2, "a"), "late:1", ALICE);
        for (int rev = 3; rev < 7; rev++) {
            service.submit(doc, epoch, rev, op(rev, "x"), "other:" + rev, ALICE);
        }
        // 5 ops retained: revs 3..7. Base 1 cannot be transformed any more, but the op itself (rev 3) is known
        SubmitResult again = service.submit(doc, epoch, 1, op(1, "a"), "late:1", ALICE);
        assertThat(again).isInstanceOf(SubmitResult.Duplicate.class);
        assertThat(again.rev()).isEqualTo(first.rev());
        assertThat(service.snapshot(doc).rev()).isEqualTo(7);
    }

    @Test
    void anotherUsersOpWithMyIdDoesNotStandForMine() {
        String epoch = epoch();
        // Mallory copies Alice's next op id, which presence shows to everyone
        service.submit(doc, epoch, 0, op("M"), "alice-tab:1", new Author("mallory", "Mallory"));
        SubmitResult alices = service.submit(doc, epoch, 0, op("A"), "alice-tab:1", ALICE);
        assertThat(alices).isInstanceOf(SubmitResult.Accepted.class);
        assertThat(alices.rev()).isEqualTo(2);
        assertThat(service.snapshot(doc).content()).contains("A").contains("M");
    }

    @Test
    void aResubmissionOlderThanBothTheLogAndTheOpIdsKeptIsAnUnknownOutcomeNotANewOp() {
        DocumentService small = new DocumentService(
                new InMemoryDocumentStore(new LogLimits(5, 16L << 20, Duration.ofHours(24), 7)),
                new DocumentProperties(200, 5),
                Clock.systemUTC());
        String epoch = small.snapshot(doc).epoch();
        for (int i = 0; i < 12; i++) {
            small.submit(doc, epoch, i, i == 0 ? op("x") : op(i, "x"), "c:" + i, ALICE);
        }
        // the ack of an op written against revision 2 was lost, and its id may be one of those forgotten
        assertThatThrownBy(() -> small.submit(doc, epoch, 2, op(2, "y"), "lost:1", ALICE))
                .extracting(ex -> ((SubmitRejectedException) ex).code())
                .isEqualTo(ErrorCode.OUTCOME_UNKNOWN);
        // within the ids kept, a base older than the log is a plain resync: surely never applied
        assertThatThrownBy(() -> small.submit(doc, epoch, 5, op(5, "y"), "new:1", ALICE))
                .extracting(ex -> ((SubmitRejectedException) ex).code())
                .isEqualTo(ErrorCode.RESYNC_REQUIRED);
        assertThat(small.snapshot(doc).rev()).isEqualTo(12);
    }

    @Test
    void queuedOpsCommittedTogetherEndExactlyAsTheSameOpsSubmittedOneByOne() {
        Random random = new Random(42);
        for (int round = 0; round < 50; round++) {
            DocumentService together = new DocumentService(
                    new InMemoryDocumentStore(100), new DocumentProperties(10_000, 100), Clock.systemUTC());
            DocumentService oneByOne = new DocumentService(
                    new InMemoryDocumentStore(100), new DocumentProperties(10_000, 100), Clock.systemUTC());
            String epoch1 = together.snapshot(doc).epoch();
            String epoch2 = oneByOne.snapshot(doc).epoch();
            together.submit(doc, epoch1, 0, op("hello"), "seed:1", ALICE);
            oneByOne.submit(doc, epoch2, 0, op("hello"), "seed:1", ALICE);
            // writers that all read revision 1 and type at random spots: a queue like a busy document's
            List<DocumentService.Queued> queued1 = new ArrayList<>();
            List<DocumentService.Queued> queued2 = new ArrayList<>();
            for (int i = 0; i < 2 + random.nextInt(10); i++) {
                int at = random.nextInt(6);
                TextOperation typed = at == 0 ? op("w" + i, 5) : at == 5 ? op(5, "w" + i) : op(at, "w" + i, 5 - at);
                Author author = new Author("u" + i, "U" + i);
                queued1.add(new DocumentService.Queued(epoch1, 1, typed, "c" + i + ":1", author));
                queued2.add(new DocumentService.Queued(epoch2, 1, typed, "c" + i + ":1", author));
            }
            List<DocumentService.Outcome> outcomes = together.submitAll(doc, queued1);
            for (DocumentService.Queued q : queued2) {
                oneByOne.submit(doc, q.epoch(), q.baseRev(), q.op(), q.clientOpId(), q.author());
            }
            assertThat(outcomes).allSatisfy(o -> assertThat(o.result()).isInstanceOf(SubmitResult.Accepted.class));
            assertThat(together.snapshot(doc).content())
                    .isEqualTo(oneByOne.snapshot(doc).content());
            assertThat(together.snapshot(doc).rev()).isEqualTo(1 + queued1.size());
        }
    }

    @Test
    void rejectsABaseRevisionInTheFuture() {
        assertThatThrownBy(() -> service.submit(doc, epoch(), 3, op("x"), "c:1", ALICE))
                .extracting(ex -> ((SubmitRejectedException) ex).code())
                .isEqualTo(ErrorCode.STALE_REVISION);
    }

    @Test
    void asksForResyncWhenTheBaseIsOlderThanTheRetainedHistory() {
        String epoch = epoch();
        for (int i = 0; i < 7; i++) {
            service.submit(doc, epoch, i, i == 0 ? op("x") : op(i, "x"), "c:" + i, ALICE);
        }
        assertThatThrownBy(() -> service.submit(doc, epoch, 0, op("y"), "d:1", ALICE))
                .extracting(ex -> ((SubmitRejectedException) ex).code())
                .isEqualTo(ErrorCode.RESYNC_REQUIRED);
        assertThat(service.sync(doc, epoch, 0)).isInstanceOf(SyncResult.Snapshot.class);
        assertThat(service.sync(doc, epoch, 5))
                .isEqualTo(new SyncResult.Ops(
                        service.opsSince(doc, epoch, 5, Integer.MAX_VALUE).orElseThrow()));
    }

    @Test
    void aSyncWhoseOpsWouldPassTheByteBudgetIsAnsweredWithTheSnapshot() {
        DocumentService roomy = new DocumentService(
                new InMemoryDocumentStore(100), new DocumentProperties(100_000, 100), Clock.systemUTC());
        String epoch = roomy.snapshot(doc).epoch();
        String text = "";
        for (int i = 0; i < 10; i++) {
            roomy.submit(
                    doc, epoch, i, i == 0 ? op("y".repeat(500)) : op(text.length(), "y".repeat(500)), "c:" + i, ALICE);
            text += "y".repeat(500);
        }
        assertThat(roomy.sync(doc, epoch, 0, 100_000)).isInstanceOf(SyncResult.Ops.class);
        SyncResult bounded = roomy.sync(doc, epoch, 0, 2_000);
        assertThat(bounded).isInstanceOf(SyncResult.Snapshot.class);
        assertThat(((SyncResult.Snapshot) bounded).snapshot().content()).isEqualTo(text);
    }

    @Test
    void asksForResyncForAnotherEpoch() {
        assertThatThrownBy(() -> service.submit(doc, "other-epoch", 0, op("x"), "c:1", ALICE))
                .extracting(ex -> ((SubmitRejectedException) ex).code())
                .isEqualTo(ErrorCode.RESYNC_REQUIRED);
    }

    @Test
    void rejectsOpsThatDoNotFitAndLeavesTheDocumentAlone() {
        String epoch = epoch();
        service.submit(doc, epoch, 0, op("abc"), "c:1", ALICE);
        assertThatThrownBy(() -> service.submit(doc, epoch, 1, op(10, "x"), "c:2", ALICE))
                .extracting(ex -> ((SubmitRejectedException) ex).code())
                .isEqualTo(ErrorCode.INVALID_OP);
        assertThat(service.snapshot(doc).content()).isEqualTo("abc");
        assertThat(service.snapshot(doc).rev()).isEqualTo(1);
    }

    @Test
    void rejectsOpsThatWouldExceedTheSizeLimit() {
        assertThatThrownBy(() -> service.submit(doc, epoch(), 0, op("x".repeat(21)), "c:1", ALICE))
                .extracting(ex -> ((SubmitRejectedException) ex).code())
                .isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(service.snapshot(doc).rev()).isZero();
    }

    @Test
    void reportsAnUnreachableStoreAsUnavailable() {
        DocumentStore broken = new InMemoryDocumentStore(5) {
            @Override
            public DocumentSnapshot snapshot(DocumentId id) {
                throw new DocumentStoreUnavailableException("down", null);
            }
        };
        DocumentService unavailable = new DocumentService(broken, new DocumentProperties(20, 5), Clock.systemUTC());
        assertThatThrownBy(() -> unavailable.submit(doc, "e", 0, op("x"), "c:1", ALICE))
                .extracting(ex -> ((SubmitRejectedException) ex).code())
                .isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void acceptsOnlyWellFormedDocumentIds() {
        assertThat(DocumentId.isValid("a-b_c.1")).isTrue();
        assertThat(DocumentId.isValid("x".repeat(128))).isTrue();
        for (String bad : new String[] {"", "x".repeat(129), "a/b", "a b", "..", ".", "é", "a\u0000", "a:b", null}) {
            assertThat(DocumentId.isValid(bad)).as(String.valueOf(bad)).isFalse();
        }
    }
}
