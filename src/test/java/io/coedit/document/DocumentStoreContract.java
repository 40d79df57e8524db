package io.coedit.document;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.coedit.ot.TextOperation;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link DocumentStore} must do, whatever keeps the data. Subclasses say how to build a store; each
 * test uses its own document ids, so stores may share their backing data between tests.
 */
public abstract class DocumentStoreContract {

    protected static final int RETAINED = 5;
    protected static final Author AUTHOR = new Author("u-1", "Zoë 😀");

    protected static final Author MALLORY = new Author("u-2", "Mallory");

    protected DocumentStore store;

    /** A store with these limits. */
    protected abstract DocumentStore createStore(LogLimits limits);

    /** Whether the backing data holds anything at all for this document. */
    protected abstract boolean holdsAnything(DocumentId id);

    @BeforeEach
    void createStore() {
        store = createStore(LogLimits.ofOps(RETAINED));
    }

    protected static DocumentId newId() {
        return new DocumentId("doc-" + UUID.randomUUID());
    }

    /** Appends an insert of {@code text} at the end of the head, checked to be stored. */
    protected static CommittedOp insert(DocumentStore store, DocumentId id, String text, String clientOpId) {
        DocumentSnapshot head = store.snapshot(id);
        TextOperation op = TextOperation.builder()
                .retain(head.content().length())
                .insert(text)
                .build();
        CommittedOp committed = new CommittedOp(head.rev() + 1, op, AUTHOR, clientOpId, Instant.now());
        AppendOutcome outcome = store.append(id, head.epoch(), head.rev(), committed, head.content() + text);
        assertThat(outcome).isEqualTo(new AppendOutcome.Appended(committed));
        return committed;
    }

    private static CommittedOp insertAtStart(long rev, String text, int baseLength, String clientOpId) {
        TextOperation op =
                TextOperation.builder().insert(text).retain(baseLength).build();
        return new CommittedOp(rev, op, AUTHOR, clientOpId, Instant.now());
    }

    @Test
    void aNewDocumentIsEmptyAtRevisionZeroWithAStableEpoch() {
        DocumentId id = newId();
        DocumentSnapshot first = store.snapshot(id);
        assertThat(first.rev()).isZero();
        assertThat(first.content()).isEmpty();
        assertThat(first.epoch()).isNotBlank();
        assertThat(store.snapshot(id)).isEqualTo(first);
    }

    @Test
    void readingADocumentNobodyWroteStoresNothing() {
        DocumentId id = newId();
        DocumentSnapshot read = store.snapshot(id);
        assertThat(store.opsSince(id, read.epoch(), 0)).contains(List.of());
        assertThat(store.lookUp(id, read.epoch(), new ClientOpKey("u-1", "a:1"), 0))
                .isEqualTo(new OpIdLookup.Absent());
        assertThat(holdsAnything(id))
                .as("keys or entries for a document only read")
                .isFalse();
        // its first op is appended in the epoch its readers were given
        insert(store, id, "first", "a:1");
        assertThat(store.snapshot(id)).isEqualTo(new DocumentSnapshot(id, read.epoch(), 1, "first"));
        assertThat(holdsAnything(id)).isTrue();
    }

    @Test
    void anotherAuthorsOpWithTheSameIdIsNotADuplicate() {
        DocumentId id = newId();
        String epoch = store.snapshot(id).epoch();
        CommittedOp mallorys =
                new CommittedOp(1, TextOperation.builder().insert("M").build(), MALLORY, "a:1", Instant.now());
        assertThat(store.append(id, epoch, 0, mallorys, "M")).isEqualTo(new AppendOutcome.Appended(mallorys));
        // the same id from AUTHOR is AUTHOR's own op, applied, not an echo of Mallory's
        CommittedOp own =
                new CommittedOp(2, TextOperation.builder().retain(1).insert("A").build(), AUTHOR, "a:1", Instant.now());
        assertThat(store.append(id, epoch, 1, own, "MA")).isEqualTo(new AppendOutcome.Appended(own));
        assertThat(store.lookUp(id, epoch, new ClientOpKey(AUTHOR.id(), "a:1"), 0))
                .isEqualTo(new OpIdLookup.Found(2));
        assertThat(store.lookUp(id, epoch, new ClientOpKey(MALLORY.id(), "a:1"), 0))
                .isEqualTo(new OpIdLookup.Found(1));
        assertThat(store.snapshot(id).content()).isEqualTo("MA");
    }

    @Test
    void appendsWhenTheHeadIsTheExpectedRevision() {
        DocumentId id = newId();
        String epoch = store.snapshot(id).epoch();
        CommittedOp first = insert(store, id, "hello", "a:1");
        CommittedOp second = insert(store, id, " world", "a:2");
        assertThat(store.snapshot(id)).isEqualTo(new DocumentSnapshot(id, epoch, 2, "hello world"));
        assertThat(store.opsSince(id, epoch, 0)).contains(List.of(first, second));
    }

    @Test
    void reportsTheHeadWhenItMovedAndWritesNothing() {
        DocumentId id = newId();
        String epoch = store.snapshot(id).epoch();
        insert(store, id, "abc", "a:1");
        CommittedOp stale = insertAtStart(1, "X", 0, "b:1");
        assertThat(store.append(id, epoch, 0, stale, "X")).isEqualTo(new AppendOutcome.HeadMoved(1));
        CommittedOp ahead = insertAtStart(4, "X", 3, "b:2");
        assertThat(store.append(id, epoch, 3, ahead, "Xabc")).isEqualTo(new AppendOutcome.HeadMoved(1));
        assertThat(store.snapshot(id)).isEqualTo(new DocumentSnapshot(id, epoch, 1, "abc"));
        assertThat(store.lookUp(id, epoch, new ClientOpKey(AUTHOR.id(), "b:1"), 0))
                .isEqualTo(new OpIdLookup.Absent());
    }

    @Test
    void aRepeatedClientOpIdReturnsTheOriginalEvenOnAStaleHead() {
        DocumentId id = newId();
        String epoch = store.snapshot(id).epoch();
        CommittedOp original = insert(store, id, "once", "a:1");
        insert(store, id, "!", "a:2");
        CommittedOp again = insertAtStart(3, "twice", 5, "a:1");
        assertThat(store.append(id, epoch, 2, again, "twiceonce!"))
                .isEqualTo(new AppendOutcome.Duplicate(original.rev()));
        CommittedOp stale = insertAtStart(1, "twice", 0, "a:1");
        assertThat(store.append(id, epoch, 0, stale, "twice")).isEqualTo(new AppendOutcome.Duplicate(original.rev()));
        assertThat(store.snapshot(id).rev()).isEqualTo(2);
    }

    private static List<CommittedOp> consecutiveInserts(long afterRev, int baseLength, String clientPrefix, int count) {
        List<CommittedOp> ops = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            TextOperation op =
                    TextOperation.builder().retain(baseLength + i).insert("x").build();
            ops.add(new CommittedOp(afterRev + 1 + i, op, AUTHOR, clientPrefix + ":" + (i + 1), Instant.now()));
        }
        return ops;
    }

    @Test
    void appendsSeveralConsecutiveOpsInOneStep() {
        DocumentId id = newId();
        String epoch = store.snapshot(id).epoch();
        insert(store, id, "ab", "a:1");
        List<CommittedOp> batch = consecutiveInserts(1, 2, "b", 3);
        assertThat(store.appendAll(id, epoch, 1, batch, "abxxx")).isEqualTo(new AppendOutcome.Appended(batch.get(2)));
        assertThat(store.snapshot(id)).isEqualTo(new DocumentSnapshot(id, epoch, 4, "abxxx"));
        assertThat(store.opsSince(id, epoch, 1)).contains(batch);
        assertThat(store.lookUp(id, epoch, new ClientOpKey(AUTHOR.id(), "b:2"), 1))
                .isEqualTo(new OpIdLookup.Found(3));
        DocumentStore another = createStore(LogLimits.ofOps(RETAINED));
        assertThat(another.snapshot(id).rev()).isIn(0L, 4L); // a store of its own (memory) or the same data (Redis)
    }

    @Test
    void aBatchWithAnOpAcceptedBeforeWritesNothing() {
        DocumentId id = newId();
        String epoch = store.snapshot(id).epoch();
        insert(store, id, "ab", "b:2");
        List<CommittedOp> batch = consecutiveInserts(1, 2, "b", 3);
        assertThat(store.appendAll(id, epoch, 1, batch, "abxxx")).isEqualTo(new AppendOutcome.Duplicate(1));
        assertThat(store.snapshot(id)).isEqualTo(new DocumentSnapshot(id, epoch, 1, "ab"));
        assertThat(store.lookUp(id, epoch, new ClientOpKey(AUTHOR.id(), "b:1"), 1))
                .isEqualTo(new OpIdLookup.Absent());
    }

    @Test
    void aBatchOnAMovedHeadWritesNothing() {
        DocumentId id = newId();
        String epoch = store.snapshot(id).epoch();
        insert(store, id, "ab", "a:1");
        insert(store, id, "c", "a:2");
        List<CommittedOp> batch = consecutiveInserts(1, 2, "b", 2);
        assertThat(store.appendAll(id, epoch, 1, batch, "abxx")).isEqualTo(new AppendOutcome.HeadMoved(2));
        assertThat(store.snapshot(id)).isEqualTo(new DocumentSnapshot(id, epoch, 2, "abc"));
    }

    @Test
    void opsSinceReturnsExactlyTheRetainedWindow() {
        DocumentId id = newId();
        String epoch = store.snapshot(id).epoch();
        assertThat(store.opsSince(id, epoch, 0)).contains(List.of());
        for (int i = 1; i <= 8; i++) {
            insert(store, id, "x" + i, "a:" + i);
        }
        // revisions 4..8 are retained: a client at 3 can catch up, one at 2 cannot
        assertThat(store.opsSince(id, epoch, 3).orElseThrow())
                .extracting(CommittedOp::rev)
                .containsExactly(4L, 5L, 6L, 7L, 8L);
        assertThat(store.opsSince(id, epoch, 7).orElseThrow())
                .extracting(CommittedOp::rev)
                .containsExactly(8L);
        assertThat(store.opsSince(id, epoch, 8)).contains(List.of());
        assertThat(store.opsSince(id, epoch, 2)).isEmpty();
        assertThat(store.opsSince(id, epoch, 0)).isEmpty();
        assertThat(store.opsSince(id, epoch, -1)).isEmpty();
        assertThat(store.opsSince(id, epoch, 9)).isEmpty();
        assertThat(store.opsSince(id, "another-epoch", 8)).isEmpty();
        assertThat(store.opsSince(id, "another-epoch", 5)).isEmpty();
    }

    @Test
    void trimmingKeepsTheNewestOperationsButRemembersTheirOpIds() {
        DocumentId id = newId();
        String epoch = store.snapshot(id).epoch();
        StringBuilder content = new StringBuilder();
        for (int i = 1; i <= 2 * RETAINED + 1; i++) {
            insert(store, id, Integer.toString(i % 10), "a:" + i);
            content.append(i % 10);
        }
        assertThat(store.snapshot(id)).isEqualTo(new DocumentSnapshot(id, epoch, 2 * RETAINED + 1, content.toString()));
        assertThat(store.opsSince(id, epoch, RETAINED + 1).orElseThrow()).hasSize(RETAINED);
        assertThat(store.opsSince(id, epoch, RETAINED)).isEmpty();
        // the op left the log, but its id did not: a resubmission after a lost ack is still recognised
        assertThat(store.lookUp(id, epoch, new ClientOpKey(AUTHOR.id(), "a:1"), 0))
                .isEqualTo(new OpIdLookup.Found(1));
        CommittedOp resubmitted = insertAtStart(2 * RETAINED + 2, "1", content.length(), "a:1");
        assertThat(store.append(id, epoch, 2 * RETAINED + 1, resubmitted, "1" + content))
                .isEqualTo(new AppendOutcome.Duplicate(1));
        assertThat(store.lookUp(id, epoch, new ClientOpKey(AUTHOR.id(), "never:1"), 0))
                .isEqualTo(new OpIdLookup.Absent());
    }

    @Test
    void beyondItsSizeTheOpIdIndexSaysItCannotTell() {
        store = createStore(new LogLimits(RETAINED, 16L << 20, Duration.ofHours(24), 3));
        DocumentId id = newId();
        String epoch = store.snapshot(id).epoch();
        for (int i = 1; i <= 6; i++) {
            insert(store, id, "x", "a:" + i);
        }
        // keys of revisions 4..6 are kept; an op written against revision 2 might be one of the forgotten ones
        assertThat(store.lookUp(id, epoch, new ClientOpKey(AUTHOR.id(), "a:5"), 0))
                .isEqualTo(new OpIdLookup.Found(5));
        assertThat(store.lookUp(id, epoch, new ClientOpKey(AUTHOR.id(), "a:2"), 1))
                .isEqualTo(new OpIdLookup.Unknown());
        assertThat(store.lookUp(id, epoch, new ClientOpKey(AUTHOR.id(), "new:1"), 2))
                .isEqualTo(new OpIdLookup.Unknown());
        assertThat(store.lookUp(id, epoch, new ClientOpKey(AUTHOR.id(), "new:1"), 3))
                .isEqualTo(new OpIdLookup.Absent());
    }

    @Test
    void manyOpIdsThatLeftTheWindowTogetherAreForgottenByTheNextCommit() {
        store = createStore(new LogLimits(RETAINED, 16L << 20, Duration.ofMinutes(1), 1000));
        DocumentId id = newId();
        String epoch = store.snapshot(id).epoch();
        Instant start = Instant.now();
        for (int i = 0; i < 40; i++) {
            append(id, epoch, i, "a", "old:" + i, start.minus(Duration.ofMinutes(5)));
        }
        append(id, epoch, 40, "b", "new:1", start);
        for (String old : List.of("old:0", "old:20", "old:39")) {
            assertThat(store.lookUp(id, epoch, new ClientOpKey(AUTHOR.id(), old), 0))
                    .isEqualTo(new OpIdLookup.Unknown());
        }
        assertThat(store.lookUp(id, epoch, new ClientOpKey(AUTHOR.id(), "new:1"), 40))
                .isEqualTo(new OpIdLookup.Found(41));
    }

    @Test
    void opIdsOlderThanTheWindowAreForgotten() {
        store = createStore(new LogLimits(RETAINED, 16L << 20, Duration.ofMinutes(1), 1000));
        DocumentId id = newId();
        String epoch = store.snapshot(id).epoch();
        Instant start = Instant.now();
        append(id, epoch, 0, "a", "old:1", start.minus(Duration.ofMinutes(5)));
        append(id, epoch, 1, "b", "new:1", start);
        assertThat(store.lookUp(id, epoch, new ClientOpKey(AUTHOR.id(), "old:1"), 0))
                .isEqualTo(new OpIdLookup.Unknown());
        assertThat(store.lookUp(id, epoch, new ClientOpKey(AUTHOR.id(), "new:1"), 1))
                .isEqualTo(new OpIdLookup.Found(2));
    }

    @Test
    void theLogKeepsToItsByteBudgetAndTheHeadStaysWhole() {
        store = createStore(new LogLimits(1000, 2_000, Duration.ofHours(24), 1000));
        DocumentId id = newId();
        String epoch = store.snapshot(id).epoch();
        StringBuilder content = new StringBuilder();
        for (int i = 1; i <= 40; i++) {
            String text = "chunk-" + i + "-" + "z".repeat(100);
            insert(store, id, text, "a:" + i);
            content.append(text);
        }
        // 40 ops of over 200 bytes each: the log holds a few, not 40
        assertThat(store.opsSince(id, epoch, 30)).isEmpty();
        List<CommittedOp> kept = store.opsSince(id, epoch, 39).orElseThrow();
        assertThat(kept).hasSize(1);
        assertThat(store.snapshot(id)).isEqualTo(new DocumentSnapshot(id, epoch, 40, content.toString()));
    }

    private void append(DocumentId id, String epoch, long head, String text, String clientOpId, Instant at) {
        String content = store.snapshot(id).content();
        TextOperation op =
                TextOperation.builder().retain(content.length()).insert(text).build();
        CommittedOp committed = new CommittedOp(head + 1, op, AUTHOR, clientOpId, at);
        assertThat(store.append(id, epoch, head, committed, content + text))
                .isEqualTo(new AppendOutcome.Appended(committed));
    }

    @Test
    void refusesAnAppendForAnotherEpochAndWritesNothing() {
        DocumentId id = newId();
        String epoch = store.snapshot(id).epoch();
        CommittedOp op = insertAtStart(1, "x", 0, "a:1");
        assertThat(store.append(id, "another-epoch", 0, op, "x")).isInstanceOf(AppendOutcome.EpochChanged.class);
        assertThat(store.snapshot(id).rev()).isZero();
        assertThat(store.snapshot(id).content()).isEmpty();
        epoch = store.snapshot(id).epoch();
        assertThat(store.lookUp(id, epoch, new ClientOpKey(AUTHOR.id(), "a:1"), 0))
                .isEqualTo(new OpIdLookup.Absent());
    }

    @Test
    void keepsEveryUtf16CodeUnitIncludingLoneSurrogates() {
        DocumentId id = newId();
        String epoch = store.snapshot(id).epoch();
        // the surrogate guard allows a lone low surrogate after other text; it has no UTF-8 form
        String text = "é中😀a\uDC00b\uD800c\"\\\n\u0000\uFFFF";
        CommittedOp stored = insert(store, id, text, "\uD83D\uDE00:\uDC01:1");
        insert(store, id, "z\uDC00", "x:2");
        assertThat(store.snapshot(id).content()).isEqualTo(text + "z\uDC00");
        assertThat(store.lookUp(id, epoch, new ClientOpKey(AUTHOR.id(), "\uD83D\uDE00:\uDC01:1"), 0))
                .isEqualTo(new OpIdLookup.Found(stored.rev()));
        assertThat(store.lookUp(id, epoch, new ClientOpKey(AUTHOR.id(), "\uD83D\uDE00:\uDC02:1"), 0))
                .isEqualTo(new OpIdLookup.Absent());
        assertThat(store.opsSince(id, epoch, 0).orElseThrow().get(0)).isEqualTo(stored);
    }

    @Test
    void documentsAreIndependent() {
        DocumentId one = newId();
        DocumentId two = newId();
        insert(store, one, "one", "a:1");
        insert(store, two, "two", "a:1");
        assertThat(store.snapshot(one).content()).isEqualTo("one");
        assertThat(store.snapshot(two).content()).isEqualTo("two");
    }
}
