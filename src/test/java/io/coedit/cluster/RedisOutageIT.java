package io.coedit.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.coedit.document.AppendOutcome;
import io.coedit.document.Author;
import io.coedit.document.ClientOpKey;
import io.coedit.document.CommittedOp;
import io.coedit.document.DocumentId;
import io.coedit.document.DocumentProperties;
import io.coedit.document.DocumentService;
import io.coedit.document.DocumentSnapshot;
import io.coedit.document.DocumentStoreUnavailableException;
import io.coedit.document.SubmitRejectedException;
import io.coedit.error.ErrorCode;
import io.coedit.ot.TextOperation;
import io.coedit.support.EmbeddedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Redis going away and coming back: callers hear "unavailable" at once and nothing needs restarting. */
class RedisOutageIT {

    private static final Author AUTHOR = new Author("u1", "Ann");

    private EmbeddedRedis redis;
    private RedisInstances instances;

    @BeforeEach
    void startRedis() {
        redis = EmbeddedRedis.startAppendOnly();
        instances = new RedisInstances(redis);
    }

    @AfterEach
    void stopRedis() {
        if (instances != null) {
            instances.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static CommittedOp insertAtEnd(DocumentSnapshot head, String text, String clientOpId) {
        return new CommittedOp(
                head.rev() + 1,
                TextOperation.builder()
                        .retain(head.content().length())
                        .insert(text)
                        .build(),
                AUTHOR,
                clientOpId,
                Instant.now());
    }

    @Test
    void everyCallFailsAsUnavailableWhileRedisIsDownAndWorksAgainAfterARestart() {
        RedisDocumentStore store = instances.newInstance(100, 10);
        DocumentService service = new DocumentService(store, new DocumentProperties(1000, 100), Clock.systemUTC());
        DocumentId id = new DocumentId("outage");
        DocumentSnapshot head = store.snapshot(id);
        service.submit(
                id, head.epoch(), 0, TextOperation.builder().insert("kept").build(), "c:1", AUTHOR);

        redis.stop();
        DocumentSnapshot cached = new DocumentSnapshot(id, head.epoch(), 1, "kept");
        CommittedOp next = insertAtEnd(cached, "!", "c:2");
        assertThatThrownBy(() -> store.snapshot(id)).isInstanceOf(DocumentStoreUnavailableException.class);
        assertThatThrownBy(() -> store.append(id, head.epoch(), 1, next, "kept!"))
                .isInstanceOf(DocumentStoreUnavailableException.class);
        assertThatThrownBy(() -> store.opsSince(id, head.epoch(), 0))
                .isInstanceOf(DocumentStoreUnavailableException.class);
        assertThatThrownBy(() -> store.lookUp(id, head.epoch(), new ClientOpKey(AUTHOR.id(), "c:1"), 0))
                .isInstanceOf(DocumentStoreUnavailableException.class);
        assertThatThrownBy(() -> service.submit(id, head.epoch(), 1, next.op(), "c:2", AUTHOR))
                .isInstanceOfSatisfying(
                        SubmitRejectedException.class,
                        ex -> assertThat(ex.code()).isEqualTo(ErrorCode.UNAVAILABLE));

        redis.restart();
        // Lettuce reconnects in the background; until then calls keep failing fast
        await().atMost(Duration.ofSeconds(30))
                .ignoreException(DocumentStoreUnavailableException.class)
                .until(() -> store.snapshot(id), snapshot -> snapshot.equals(cached));
        assertThat(store.append(id, head.epoch(), 1, next, "kept!")).isEqualTo(new AppendOutcome.Appended(next));
        assertThat(instances.newInstance(100, 10).snapshot(id).content()).isEqualTo("kept!");
    }

    @Test
    void aRestartThatLostTheDataStartsANewEpoch() {
        RedisDocumentStore store = instances.newInstance(100, 10);
        DocumentId id = new DocumentId("amnesia");
        DocumentSnapshot head = store.snapshot(id);
        CommittedOp first = insertAtEnd(head, "gone", "c:1");
        assertThat(store.append(id, head.epoch(), 0, first, "gone")).isEqualTo(new AppendOutcome.Appended(first));

        // with append-only off the restarted Redis does not replay its file: everything is lost
        redis.restart(false);
        CommittedOp second = insertAtEnd(new DocumentSnapshot(id, head.epoch(), 1, "gone"), "!", "c:2");
        AppendOutcome outcome = await().atMost(Duration.ofSeconds(30))
                .ignoreException(DocumentStoreUnavailableException.class)
                .until(() -> store.append(id, head.epoch(), 1, second, "gone!"), result -> result != null);
        assertThat(outcome).isInstanceOf(AppendOutcome.EpochChanged.class);
        DocumentSnapshot reborn = store.snapshot(id);
        assertThat(reborn.epoch())
                .isEqualTo(((AppendOutcome.EpochChanged) outcome).epoch())
                .isNotEqualTo(head.epoch());
        assertThat(reborn.content()).isEmpty();
        assertThat(reborn.rev()).isZero();
    }
}
