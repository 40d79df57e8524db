package io.coedit.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import io.coedit.document.AppendOutcome;
import io.coedit.document.ClientOpKey;
import io.coedit.document.CommittedOp;
import io.coedit.document.DocumentId;
import io.coedit.document.DocumentSnapshot;
import io.coedit.document.DocumentStore;
import io.coedit.document.DocumentStoreContract;
import io.coedit.document.DocumentStoreUnavailableException;
import io.coedit.document.HeadMark;
import io.coedit.document.LogEntryCodec;
import io.coedit.document.LogLimits;
import io.coedit.document.OpIdLookup;
import io.coedit.ot.TextOperation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store contract on a real Redis, plus what only a shared store has: instances, compaction, lost data. */
class RedisDocumentStoreIT extends DocumentStoreContract {

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> EARLIER_COMMIT =
            RedisScript.of(new ClassPathResource("io/coedit/cluster/commit-with-sorted-set-index.lua"), List.class);

    private static RedisInstances instances;

    @BeforeAll
    static void startRedis() {
        instances = RedisInstances.onNewRedis();
    }

    @AfterAll
    static void stopRedis() {
        if (instances != null) {
            instances.close();
        }
    }

    @Override
    protected DocumentStore createStore(LogLimits limits) {
        return instances.newInstance(limits, 3, "instance-" + UUID.randomUUID());
    }

    @Override
    protected boolean holdsAnything(DocumentId id) {
        RedisKeys keys = RedisKeys.of(RedisInstances.PREFIX, id);
        return instances.admin().countExistingKeys(keys.history()) > 0;
    }

    @Test
    void theHeadCheckReadsEveryDocumentsEpochAndRevisionWithoutOpeningAConnection() {
        RedisDocumentStore store = instances.newInstance(100, 100, "instance-heads");
        DocumentId written = new DocumentId("heads-written-" + UUID.randomUUID());
        DocumentId untouched = new DocumentId("heads-untouched-" + UUID.randomUUID());
        append(store, store.snapshot(written), "a", "c:1");
        append(store, store.snapshot(written), "b", "c:2");
        instances.connectionsAccepted(); // the inspecting connection itself is open from here on
        long acceptedBefore = instances.connectionsAccepted();

        Map<DocumentId, HeadMark> heads = store.heads(List.of(written, untouched));
        for (int check = 0; check < 5; check++) {
            store.heads(List.of(written, untouched));
        }

        assertThat(heads)
                .isEqualTo(Map.of(written, new HeadMark(store.snapshot(written).epoch(), 2)));
        assertThat(instances.connectionsAccepted())
                .as("connections Redis accepted during six head checks")
                .isEqualTo(acceptedBefore);
    }

    private static CommittedOp append(DocumentStore store, DocumentSnapshot head, String text, String clientOpId) {
        TextOperation op = TextOperation.builder()
                .retain(head.content().length())
                .insert(text)
                .build();
        CommittedOp committed = new CommittedOp(head.rev() + 1, op, AUTHOR, clientOpId, Instant.now());
        assertThat(store.append(head.id(), head.epoch(), head.rev(), committed, head.content() + text))
                .isEqualTo(new AppendOutcome.Appended(committed));
        return committed;
    }

    @Test
    void rewritesTheSnapshotEveryNOpsAndRebuildsTheHeadFromItAfterTrimming() {
        RedisDocumentStore reader = instances.newInstance(10, 4);
        RedisDocumentStore other = instances.newInstance(10, 4);
        DocumentId id = newId();
        RedisKeys keys = RedisKeys.of(RedisInstances.PREFIX, id);
        StringRedisTemplate admin = instances.admin();
        LogEntryCodec codec = new LogEntryCodec();
        List<String> contents = new ArrayList<>(List.of(""));
        for (int rev = 1; rev <= 23; rev++) {
            DocumentSnapshot head = reader.snapshot(id);
            // every third op comes from an instance whose cached head is stale, so it cannot know a compaction
            // is due: the script must ask it for the content
            append(rev % 3 == 0 ? other : reader, head, "é😀" + rev, "w:" + rev);
            contents.add(head.content() + "é😀" + rev);
            long snapRev = Long.parseLong((String) admin.opsForHash().get(keys.meta(), "snapRev"));
            assertThat(snapRev).isEqualTo(rev / 4 * 4);
            if (snapRev > 0) {
                assertThat(codec.decodeString(admin.opsForValue().get(keys.snap())))
                        .isEqualTo(contents.get((int) snapRev));
            }
            assertThat(admin.opsForStream().size(keys.log())).isEqualTo(Math.min(rev, 10));
            // the op ids outlive the log
            assertThat(indexedOpKeys(keys)).isEqualTo(rev);
        }
        DocumentSnapshot rebuilt = instances.newInstance(10, 4).snapshot(id);
        assertThat(rebuilt.rev()).isEqualTo(23);
        assertThat(rebuilt.content()).isEqualTo(contents.get(23));
    }

    @Test
    void trimmingByBytesCompactsFirstSoAnotherInstanceRebuildsTheHead() {
        LogLimits limits = new LogLimits(1000, 2_000, Duration.ofHours(24), 1000);
        RedisDocumentStore writer = instances.newInstance(limits, 500, "writer");
        DocumentId id = newId();
        StringBuilder content = new StringBuilder();
        for (int rev = 1; rev <= 40; rev++) {
            String text = "chunk-" + rev + "-" + "z".repeat(100);
            append(writer, writer.snapshot(id), text, "w:" + rev);
            content.append(text);
        }
        RedisKeys keys = RedisKeys.of(RedisInstances.PREFIX, id);
        assertThat(instances.admin().opsForStream().size(keys.log())).isLessThan(20);
        assertThat(Long.parseLong((String) instances.admin().opsForHash().get(keys.meta(), "logBytes")))
                .isLessThanOrEqualTo(2_000);
        assertThat(instances.newInstance(limits, 500, "reader").snapshot(id).content())
                .isEqualTo(content.toString());
    }

    @Test
    void aLargeOpPushesOutAsManyOldEntriesAsItsBytesNeedAndTheLogBytesStayExact() {
        LogLimits limits = new LogLimits(1000, 2_000, Duration.ofHours(24), 1000);
        RedisDocumentStore writer = instances.newInstance(limits, 500, "writer");
        DocumentId id = newId();
        StringBuilder content = new StringBuilder();
        for (int rev = 1; rev <= 30; rev++) {
            // small ops fill the byte budget; the last one needs most of it, so many old entries leave at once
            String text = rev < 30 ? "s" + rev : "L".repeat(1_500);
            append(writer, writer.snapshot(id), text, "w:" + rev);
            content.append(text);
        }
        RedisKeys keys = RedisKeys.of(RedisInstances.PREFIX, id);
        StringRedisTemplate admin = instances.admin();
        List<String> entries = admin.opsForStream().range(keys.log(), Range.unbounded()).stream()
                .map(record -> (String) record.getValue().get("e"))
                .toList();
        long logBytes = Long.parseLong((String) admin.opsForHash().get(keys.meta(), "logBytes"));
        assertThat(logBytes)
                .isLessThanOrEqualTo(2_000)
                .isEqualTo(entries.stream()
                        .mapToLong(e -> e.getBytes(StandardCharsets.UTF_8).length)
                        .sum());
        assertThat(entries).hasSizeLessThan(10);
        assertThat(entries.get(entries.size() - 1)).contains("L".repeat(1_500));
        assertThat(instances.newInstance(limits, 500, "reader").snapshot(id).content())
                .isEqualTo(content.toString());
    }

    @Test
    void compactsAtLeastEveryRetainedOpsSoTheLogAlwaysReachesTheSnapshot() {
        RedisDocumentStore writer = instances.newInstance(5, 100);
        DocumentId id = newId();
        StringBuilder content = new StringBuilder();
        for (int rev = 1; rev <= 23; rev++) {
            append(writer, writer.snapshot(id), "x" + rev, "w:" + rev);
            content.append("x").append(rev);
        }
        RedisKeys keys = RedisKeys.of(RedisInstances.PREFIX, id);
        assertThat(instances.admin().opsForHash().get(keys.meta(), "snapRev")).isEqualTo("20");
        assertThat(instances.newInstance(5, 100).snapshot(id).content()).isEqualTo(content.toString());
    }

    @Test
    void aPausedInstanceCannotOverwriteANewerRevision() {
        RedisDocumentStore paused = instances.newInstance(RETAINED, 3);
        RedisDocumentStore live = instances.newInstance(RETAINED, 3);
        DocumentId id = newId();
        append(live, live.snapshot(id), "base", "live:1");
        DocumentSnapshot seen = paused.snapshot(id);
        CommittedOp newer = append(live, live.snapshot(id), " newer", "live:2");
        // the paused instance wakes up and commits on the head it read before the pause
        CommittedOp late = new CommittedOp(
                2, TextOperation.builder().retain(4).insert(" late").build(), AUTHOR, "paused:1", Instant.now());
        assertThat(paused.append(id, seen.epoch(), 1, late, "base late")).isEqualTo(new AppendOutcome.HeadMoved(2));
        DocumentSnapshot expected = new DocumentSnapshot(id, seen.epoch(), 2, "base newer");
        assertThat(instances.newInstance(RETAINED, 3).snapshot(id)).isEqualTo(expected);
        assertThat(paused.opsSince(id, seen.epoch(), 1)).contains(List.of(newer));
        assertThat(paused.lookUp(id, seen.epoch(), new ClientOpKey(AUTHOR.id(), "paused:1"), 1))
                .isEqualTo(new OpIdLookup.Absent());
        // its cached head is checked against Redis, never served as is
        assertThat(paused.snapshot(id)).isEqualTo(expected);
    }

    @Test
    void instancesCreatingADocumentAtOnceAgreeOnItsEpoch() throws Exception {
        DocumentId id = newId();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<String>> readers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                RedisDocumentStore instance = instances.newInstance(RETAINED, 3);
                readers.add(() -> instance.snapshot(id).epoch());
            }
            List<String> epochs = new ArrayList<>();
            for (Future<String> epoch : pool.invokeAll(readers)) {
                epochs.add(epoch.get());
            }
            assertThat(epochs).hasSize(8).containsOnly(epochs.get(0));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFlushedRedisStartsANewEpochThatNoOldRevisionOrOpIdLeaksInto() {
        RedisDocumentStore writer = instances.newInstance(RETAINED, 3);
        RedisDocumentStore other = instances.newInstance(RETAINED, 3);
        DocumentId id = newId();
        DocumentSnapshot before = writer.snapshot(id);
        append(writer, before, "lost", "a:1");
        instances.flushAll();

        CommittedOp next =
                new CommittedOp(2, TextOperation.builder().retain(4).insert("!").build(), AUTHOR, "a:2", Instant.now());
        AppendOutcome outcome = writer.append(id, before.epoch(), 1, next, "lost!");
        assertThat(outcome).isInstanceOf(AppendOutcome.EpochChanged.class);
        String epoch = ((AppendOutcome.EpochChanged) outcome).epoch();
        assertThat(epoch).isNotEqualTo(before.epoch());
        assertThat(writer.snapshot(id)).isEqualTo(new DocumentSnapshot(id, epoch, 0, ""));
        assertThat(other.snapshot(id).epoch()).isEqualTo(epoch);
        assertThat(other.opsSince(id, before.epoch(), 0)).isEmpty();
        assertThat(other.lookUp(id, before.epoch(), new ClientOpKey(AUTHOR.id(), "a:1"), 0))
                .isNotInstanceOf(OpIdLookup.Found.class);
        append(other, other.snapshot(id), "new", "a:1");
    }

    @Test
    void aRequestThreadMaySendCommitsOnlyOnceNothingBeforeThemWaitsOnRedis() {
        RedisDocumentStore store = instances.newInstance(RETAINED, 3);
        DocumentId id = newId();
        assertThat(store.appendsWithoutWaiting())
                .as("the genesis epoch is not read yet and no script connection is open")
                .isFalse();
        DocumentSnapshot head = store.snapshot(id);
        assertThat(store.appendsWithoutWaiting())
                .as("the script connection is not open yet")
                .isFalse();

        append(store, head, "x", "a:1");

        assertThat(store.appendsWithoutWaiting()).isTrue();
    }

    @Test
    void leftoversOfALostMetaKeyDoNotLeakIntoTheNewEpoch() {
        RedisDocumentStore writer = instances.newInstance(RETAINED, 3);
        DocumentId id = newId();
        DocumentSnapshot before = writer.snapshot(id);
        append(writer, before, "x", "a:1");
        RedisKeys keys = RedisKeys.of(RedisInstances.PREFIX, id);
        instances.admin().delete(keys.meta());

        RedisDocumentStore other = instances.newInstance(RETAINED, 3);
        DocumentSnapshot fresh = other.snapshot(id);
        assertThat(fresh.epoch()).isNotEqualTo(before.epoch());
        assertThat(fresh.rev()).isZero();
        assertThat(instances.admin().hasKey(keys.log())).isFalse();
        assertThat(instances.admin().hasKey(keys.ids())).isFalse();
        assertThat(instances.admin().hasKey(keys.idl())).isFalse();
        append(other, fresh, "y", "a:1");
        assertThat(writer.snapshot(id)).isEqualTo(new DocumentSnapshot(id, fresh.epoch(), 1, "y"));
    }

    @Test
    void aCommitAfterRedisForgotItsScriptsIsStoredOnce() {
        RedisDocumentStore writer = instances.newInstance(10, 4);
        DocumentId id = newId();
        append(writer, writer.snapshot(id), "a", "w:1");
        // what a Redis restart or a failover to a replica does to the script cache: the commit's EVALSHA is refused
        instances.admin().execute((RedisCallback<Void>) connection -> {
            connection.scriptingCommands().scriptFlush();
            return null;
        });

        append(writer, writer.snapshot(id), "b", "w:2");

        DocumentSnapshot reread = instances.newInstance(10, 4).snapshot(id);
        assertThat(reread.rev()).isEqualTo(2);
        assertThat(reread.content()).isEqualTo("ab");
    }

    @Test
    void opIdsAnEarlierVersionIndexedAreForgottenWithTheNewOnesOldestFirst() {
        LogLimits limits = new LogLimits(1000, 16L << 20, Duration.ofHours(24), 4);
        RedisDocumentStore current = instances.newInstance(limits, 500, "current");
        DocumentId id = newId();
        RedisKeys keys = RedisKeys.of(RedisInstances.PREFIX, id);
        StringRedisTemplate admin = instances.admin();
        // revisions 1-3 written before the upgrade, 6 by an instance of the earlier version still running during it
        for (int rev = 1; rev <= 10; rev++) {
            if (rev <= 3 || rev == 6) {
                commitAsEarlierVersion(current.snapshot(id), "old:" + rev, limits, Instant.now());
            } else {
                append(current, current.snapshot(id), "x", "new:" + rev);
            }
            if (rev == 8) {
                String epoch = current.snapshot(id).epoch();
                // the newest four are kept, whichever version indexed them; 1-4 are forgotten, oldest first
                assertThat(indexedOpKeys(keys)).isEqualTo(4);
                for (String kept : List.of("new:5", "old:6", "new:7", "new:8")) {
                    long keptRev = Long.parseLong(kept.substring(4));
                    assertThat(current.lookUp(id, epoch, new ClientOpKey(AUTHOR.id(), kept), 0))
                            .isEqualTo(new OpIdLookup.Found(keptRev));
                }
                assertThat(current.lookUp(id, epoch, new ClientOpKey(AUTHOR.id(), "old:3"), 2))
                        .isEqualTo(new OpIdLookup.Unknown());
                assertThat(current.lookUp(id, epoch, new ClientOpKey(AUTHOR.id(), "new:4"), 4))
                        .isEqualTo(new OpIdLookup.Absent());
                assertThat(admin.opsForZSet().range(keys.idq(), 0, -1)).hasSize(1);
            }
        }
        // revision 10 forgot the last key the earlier version indexed: from here on only the list is read
        assertThat(admin.hasKey(keys.idq())).isFalse();
        assertThat(admin.opsForList().size(keys.idl())).isEqualTo(4);
        DocumentSnapshot head = current.snapshot(id);
        CommittedOp resent =
                new CommittedOp(11, insertAt(head.content().length(), "x"), AUTHOR, "new:7", Instant.now());
        assertThat(current.append(id, head.epoch(), 10, resent, head.content() + "x"))
                .isEqualTo(new AppendOutcome.Duplicate(7));
        append(current, head, "y", "new:11");
        assertThat(admin.opsForHash().get(keys.meta(), "listRev")).isEqualTo("11");
        assertThat(admin.opsForList().range(keys.idl(), 0, -1))
                .map(listed -> listed.substring(0, listed.indexOf(':')))
                .containsExactly("8", "9", "10", "11");
    }

    @Test
    void opIdsAnEarlierVersionIndexedLeaveWhenTheirWindowIsOver() {
        LogLimits limits = new LogLimits(1000, 16L << 20, Duration.ofMinutes(1), 1000);
        RedisDocumentStore current = instances.newInstance(limits, 500, "current");
        DocumentId id = newId();
        RedisKeys keys = RedisKeys.of(RedisInstances.PREFIX, id);
        Instant longAgo = Instant.now().minus(Duration.ofMinutes(5));
        for (int rev = 1; rev <= 3; rev++) {
            commitAsEarlierVersion(current.snapshot(id), "old:" + rev, limits, longAgo);
        }
        append(current, current.snapshot(id), "x", "new:4");
        String epoch = current.snapshot(id).epoch();
        assertThat(current.lookUp(id, epoch, new ClientOpKey(AUTHOR.id(), "old:3"), 2))
                .isEqualTo(new OpIdLookup.Unknown());
        assertThat(current.lookUp(id, epoch, new ClientOpKey(AUTHOR.id(), "new:4"), 3))
                .isEqualTo(new OpIdLookup.Found(4));
        assertThat(instances.admin().hasKey(keys.idq())).isFalse();
        assertThat(instances.admin().opsForHash().get(keys.meta(), "listRev")).isEqualTo("4");
    }

    @Test
    void makesTheOpIdIndexAHashTablePast64KeysEvenForADocumentAnEarlierVersionBegan() {
        LogLimits limits = new LogLimits(1000, 1 << 20, Duration.ofHours(1), 1000);
        RedisDocumentStore current = instances.newInstance(limits, 500, "current");
        DocumentId fresh = newId();
        RedisKeys freshKeys = RedisKeys.of(RedisInstances.PREFIX, fresh);
        for (int rev = 1; rev <= 64; rev++) {
            append(current, current.snapshot(fresh), "a", "op:" + rev);
        }
        // a listpack (a ziplist before Redis 7) is small, and short enough to scan
        assertThat(encodingOf(freshKeys.ids())).isIn("listpack", "ziplist");
        append(current, current.snapshot(fresh), "a", "op:65");
        assertThat(encodingOf(freshKeys.ids())).isEqualTo("hashtable");

        // an earlier version's index stays a listpack up to 512 keys
        DocumentId earlier = newId();
        RedisKeys keys = RedisKeys.of(RedisInstances.PREFIX, earlier);
        for (int rev = 1; rev <= 70; rev++) {
            commitAsEarlierVersion(current.snapshot(earlier), "old:" + rev, limits, Instant.now());
        }
        assertThat(encodingOf(keys.ids())).isIn("listpack", "ziplist");
        append(current, current.snapshot(earlier), "x", "new:71");
        assertThat(encodingOf(keys.ids())).isEqualTo("hashtable");
        // the field that makes it one is no op key: every key is still found, and counted, as before
        assertThat(indexedOpKeys(keys)).isEqualTo(71);
        String epoch = current.snapshot(earlier).epoch();
        for (String clientOpId : List.of("old:1", "old:70", "new:71")) {
            long rev = Long.parseLong(clientOpId.substring(clientOpId.indexOf(':') + 1));
            assertThat(current.lookUp(earlier, epoch, new ClientOpKey(AUTHOR.id(), clientOpId), 0))
                    .isEqualTo(new OpIdLookup.Found(rev));
        }
    }

    @Test
    void refusesACommitWhoseOpIsNotNumberedAfterTheHeadAndWritesNothing() {
        RedisDocumentStore store = instances.newInstance(10, 4);
        DocumentId id = newId();
        RedisKeys keys = RedisKeys.of(RedisInstances.PREFIX, id);
        append(store, store.snapshot(id), "a", "first");
        DocumentSnapshot head = store.snapshot(id);
        LogEntryCodec codec = new LogEntryCodec();
        CommittedOp op = new CommittedOp(3, insertAt(1, "b"), AUTHOR, "misnumbered", Instant.now());
        StringRedisTemplate admin = instances.admin();

        assertThatThrownBy(() -> admin.execute(
                        RedisScriptCalls.script("commit"),
                        keys.commit(),
                        head.epoch(),
                        "1",
                        "1",
                        "10",
                        "4",
                        "",
                        keys.channel(),
                        codec.publishedOpening("test", id, head.epoch()),
                        UUID.randomUUID().toString(),
                        admin.opsForValue().get(RedisKeys.genesis(RedisInstances.PREFIX)),
                        "1048576",
                        Long.toString(op.timestamp().toEpochMilli()),
                        "3600000",
                        "1000",
                        "test",
                        "50",
                        "3",
                        codec.encodeString(ClientOpKey.of(op).value()),
                        codec.encode(op)))
                .rootCause()
                .hasMessageContaining("op 1 is not numbered 1 + 1");
        assertThat(admin.opsForHash().get(keys.meta(), "rev")).isEqualTo("1");
        assertThat(admin.opsForStream().size(keys.log())).isEqualTo(1);
        assertThat(indexedOpKeys(keys)).isEqualTo(1);
        assertThat(store.snapshot(id).content()).isEqualTo("a");
    }

    /** The op keys in a document's index: JSON string literals (the field that keeps it a hash table is not one). */
    private static long indexedOpKeys(RedisKeys keys) {
        return instances.admin().opsForHash().keys(keys.ids()).stream()
                .filter(field -> ((String) field).startsWith("\""))
                .count();
    }

    private static String encodingOf(String key) {
        return instances.admin().execute((RedisCallback<String>) connection -> new String(
                (byte[]) connection.execute(
                        "OBJECT", "ENCODING".getBytes(StandardCharsets.UTF_8), key.getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8));
    }

    /** One op committed the way an instance before the list index did (its script, kept as a test resource). */
    private static void commitAsEarlierVersion(DocumentSnapshot head, String clientOpId, LogLimits limits, Instant at) {
        LogEntryCodec codec = new LogEntryCodec();
        RedisKeys keys = RedisKeys.of(RedisInstances.PREFIX, head.id());
        CommittedOp op =
                new CommittedOp(head.rev() + 1, insertAt(head.content().length(), "o"), AUTHOR, clientOpId, at);
        StringRedisTemplate admin = instances.admin();
        List<?> reply = admin.execute(
                EARLIER_COMMIT,
                List.of(keys.meta(), keys.snap(), keys.log(), keys.ids(), keys.idq()),
                head.epoch(),
                Long.toString(head.rev()),
                "1",
                Integer.toString(limits.retainedOps()),
                "500",
                codec.encodeString(head.content() + "o"),
                keys.channel(),
                "earlier-version",
                head.id().value(),
                UUID.randomUUID().toString(),
                admin.opsForValue().get(RedisKeys.genesis(RedisInstances.PREFIX)),
                Long.toString(limits.retainedBytes()),
                Long.toString(at.toEpochMilli()),
                Long.toString(limits.opIdWindow().toMillis()),
                Integer.toString(limits.opIdMax()),
                codec.encodeString(ClientOpKey.of(op).value()),
                codec.encode(op));
        assertThat(reply).first().isEqualTo("appended");
    }

    private static TextOperation insertAt(int length, String text) {
        return TextOperation.builder().retain(length).insert(text).build();
    }

    @Test
    void corruptDataIsABugNotAnOutage() {
        DocumentId id = newId();
        RedisKeys keys = RedisKeys.of(RedisInstances.PREFIX, id);
        instances.admin().opsForValue().set(keys.meta(), "not a hash");
        assertThatThrownBy(() -> store.snapshot(id))
                .isInstanceOf(IllegalStateException.class)
                .isNotInstanceOf(DocumentStoreUnavailableException.class)
                .hasMessageContaining("WRONGTYPE");
    }
}
