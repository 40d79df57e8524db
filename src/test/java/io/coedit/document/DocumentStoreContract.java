package io.coedit.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.coedit.ot.TextOperation;

/**
 * What every {@link DocumentStore} must do, whatever keeps the data. Subclasses say how to build a store; each
 * test uses its own document ids, so stores may share their backing data between tests.
 */
public abstract class DocumentStoreContract {

    protected static final int RETAINED = 5;
    protected static final Author AUTHOR = new Author("u-1", "Zoë 😀");

    protected DocumentStore store;

    /** A store that keeps the newest {@code retainedOps} operations. */
    protected abstract DocumentStore createStore(int retainedOps);

    @BeforeEach
    void createStore() {
        store = createStore(RETAINED);
    }

    protected static DocumentId newId() {
        return new DocumentId("doc-" + UUID.randomUUID());
    }

    /** Appends an insert of {@code text} at the end of the head, checked to be stored. */
    protected static CommittedOp insert(DocumentStore store, DocumentId id, String text, String clientOpId) {
        DocumentSnapshot head = store.snapshot(id);
        TextOperation op = TextOperation.builder().retain(head.content().length()).insert(text).build();
        CommittedOp committed = new CommittedOp(head.rev() + 1, op, AUTHOR, clientOpId, Instant.now());
        AppendOutcome outcome = store.append(id, head.epoch(), head.rev(), committed, head.content() + text);
        assertThat(outcome).isEqualTo(new AppendOutcome.Appended(committed));
        return committed;
    }

    private static CommittedOp insertAtStart(long rev, String text, int baseLength, String clientOpId) {
        TextOperation op = TextOperation.builder().insert(text).retain(baseLength).build();
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
        assertThat(store.snapshot(newId()).epoch()).isNotEqualTo(first.epoch());
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
        assertThat(store.findByClientOpId(id, epoch, "b:1")).isEmpty();
    }

    @Test
    void aRepeatedClientOpIdReturnsTheOriginalEvenOnAStaleHead() {
        DocumentId id = newId();
        String epoch = store.snapshot(id).epoch();
        CommittedOp original = insert(store, id, "once", "a:1");
        insert(store, id, "!", "a:2");
        CommittedOp again = insertAtStart(3, "twice", 5, "a:1");
        assertThat(store.append(id, epoch, 2, again, "twiceonce!"))
                .isEqualTo(new AppendOutcome.Duplicate(original));
        CommittedOp stale = insertAtStart(1, "twice", 0, "a:1");
        assertThat(store.append(id, epoch, 0, stale, "twice")).isEqualTo(new AppendOutcome.Duplicate(original));
        assertThat(store.snapshot(id).rev()).isEqualTo(2);
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
        assertThat(store.opsSince(id, epoch, 3).orElseThrow()).extracting(CommittedOp::rev)
                .containsExactly(4L, 5L, 6L, 7L, 8L);
        assertThat(store.opsSince(id, epoch, 7).orElseThrow()).extracting(CommittedOp::rev).containsExactly(8L);
        assertThat(store.opsSince(id, epoch, 8)).contains(List.of());
        assertThat(store.opsSince(id, epoch, 2)).isEmpty();
        assertThat(store.opsSince(id, epoch, 0)).isEmpty();
        assertThat(store.opsSince(id, epoch, -1)).isEmpty();
        assertThat(store.opsSince(id, epoch, 9)).isEmpty();
        assertThat(store.opsSince(id, "another-epoch", 8)).isEmpty();
        assertThat(store.opsSince(id, "another-epoch", 5)).isEmpty();
    }

    @Test
    void trimmingKeepsTheNewestOperationsAndForgetsTheirClientOpIds() {
        DocumentId id = newId();
        String epoch = store.snapshot(id).epoch();
        StringBuilder content = new StringBuilder();
        for (int i = 1; i <= 2 * RETAINED + 1; i++) {
            insert(store, id, Integer.toString(i % 10), "a:" + i);
            content.append(i % 10);
        }
        assertThat(store.snapshot(id)).isEqualTo(new DocumentSnapshot(id, epoch, 2 * RETAINED + 1,
                content.toString()));
        assertThat(store.opsSince(id, epoch, RETAINED + 1).orElseThrow()).hasSize(RETAINED);
        assertThat(store.opsSince(id, epoch, RETAINED)).isEmpty();
        assertThat(store.findByClientOpId(id, epoch, "a:" + (RETAINED + 1))).isEmpty();
        assertThat(store.findByClientOpId(id, epoch, "a:" + (RETAINED + 2))).map(CommittedOp::rev)
                .contains((long) RETAINED + 2);
        // an id that left the window is no longer recognized: the op is stored again
        insert(store, id, "again", "a:1");
    }

    @Test
    void findsAStoredOperationByItsClientOpIdInItsEpochOnly() {
        DocumentId id = newId();
        String epoch = store.snapshot(id).epoch();
        CommittedOp stored = insert(store, id, "hi", "client-7:42");
        assertThat(store.findByClientOpId(id, epoch, "client-7:42")).contains(stored);
        assertThat(store.findByClientOpId(id, epoch, "client-7:43")).isEmpty();
        assertThat(store.findByClientOpId(id, "another-epoch", "client-7:42")).isEmpty();
        assertThat(store.findByClientOpId(newId(), epoch, "client-7:42")).isEmpty();
    }

    @Test
    void refusesAnAppendForAnotherEpochAndWritesNothing() {
        DocumentId id = newId();
        String epoch = store.snapshot(id).epoch();
        CommittedOp op = insertAtStart(1, "x", 0, "a:1");
        assertThat(store.append(id, "another-epoch", 0, op, "x")).isEqualTo(new AppendOutcome.EpochChanged(epoch));
        assertThat(store.snapshot(id)).isEqualTo(new DocumentSnapshot(id, epoch, 0, ""));
        assertThat(store.findByClientOpId(id, epoch, "a:1")).isEmpty();
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
        assertThat(store.findByClientOpId(id, epoch, "\uD83D\uDE00:\uDC01:1")).contains(stored);
        assertThat(store.findByClientOpId(id, epoch, "\uD83D\uDE00:\uDC02:1")).isEmpty();
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
        assertThat(store.snapshot(one).epoch()).isNotEqualTo(store.snapshot(two).epoch());
    }
}
