package io.coedit.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import lombok.extern.slf4j.Slf4j;

import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import io.coedit.document.AppendOutcome;
import io.coedit.document.ClientOpKey;
import io.coedit.document.CommittedOp;
import io.coedit.document.DocumentId;
import io.coedit.document.DocumentSnapshot;
import io.coedit.document.DocumentStore;
import io.coedit.document.DocumentStoreUnavailableException;
import io.coedit.document.HeadCache;
import io.coedit.document.HeadMark;
import io.coedit.document.HeldCommits;
import io.coedit.document.LogEntryCodec;
import io.coedit.document.OpIdLookup;
import io.coedit.document.RecentHead;
import io.coedit.ot.InvalidOperationException;

/**
 * Documents in Redis, shared by every instance (layout, scripts and guarantees: {@code docs/redis-store.md}).
 *
 * <p>A document is a snapshot at {@code snapRev} plus the op log after it; the head is rebuilt by applying those
 * operations, and a per-instance {@link HeadCache} means that usually only the entries another instance added
 * since the last read travel. Every method is one Lua script, so each sees one consistent state of the document.
 * {@code commit.lua} is the only writer of revisions: it checks epoch, client op id and head, appends, trims,
 * compacts and publishes in one atomic step.
 *
 * <p><b>Published payload.</b> Each commit publishes on {@code <prefix>doc:{<id>}:ops} (see {@link RedisKeys}):
 * <pre>{"origin":"&lt;instance id&gt;","doc":"&lt;id&gt;","epoch":"&lt;epoch&gt;","rev":7,"op":[3,"abc",-2],
 *  "author":{"id":"u1","name":"Ann"},"id":"c1:7","ts":"2025-01-01T12:00:00.123456Z"}</pre>
 * {@code op}, {@code author}, {@code id} and {@code ts} are the log entry ({@link LogEntryCodec}). The message is
 * published after the entry is stored, so a subscriber that sees {@code rev} n may read every revision up to n
 * with {@link #opsSince}; a missed message shows as a gap in {@code rev} within one {@code epoch}.
 *
 * <p>Reading writes nothing: a document without meta reads as empty at revision 0 of the deployment's genesis
 * epoch ({@link RedisKeys#genesis}), and {@code commit.lua} creates it with its first op.
 *
 * <p>Failures: {@link DocumentStoreUnavailableException} when Redis cannot be reached or times out. After a
 * timeout of {@link #append} the commit may or may not have happened; a retry with the same client op id
 * returns {@link AppendOutcome.Duplicate} if it did.
 */
@Slf4j
public class RedisDocumentStore implements DocumentStore {

    /** How long the genesis epoch is trusted before it is read again (a flushed Redis gets a new one). */
    private static final long GENESIS_REFRESH_NANOS = 5_000_000_000L;

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> LOAD = RedisScriptCalls.script("load");

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> COMMIT = RedisScriptCalls.script("commit");

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> OPS = RedisScriptCalls.script("ops");

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> FIND = RedisScriptCalls.script("find");

    /** Where commit.lua takes the new content (ARGV[6]). */
    private static final int CONTENT_ARGUMENT = 5;

    private final StringRedisTemplate redis;
    private final RedisScriptCalls scripts;
    private final RedisStoreSettings settings;
    private final LogEntryCodec codec = new LogEntryCodec();
    private final FreshEpochs freshEpochs = new FreshEpochs();
    private final HeadCache cache;
    private volatile String genesis;
    private volatile long genesisReadAt;
    private final AtomicBoolean genesisRefreshing = new AtomicBoolean();
    /** Where the genesis epoch is read again: the cluster's timer, never the thread that sends a commit. */
    private final Executor background;

    RedisDocumentStore(StringRedisTemplate redis, RedisStoreSettings settings, Executor background) {
        this.redis = redis;
        this.background = background;
        this.scripts = new RedisScriptCalls(redis);
        this.settings = settings;
        this.cache = new HeadCache(settings.cachedDocuments(), settings.cachedBytes());
    }

    @Override
    public DocumentSnapshot snapshot(DocumentId id) {
        RedisKeys keys = keys(id);
        HeadCache.Head cached = cache.get(id);
        List<?> reply = run(
                "read document " + id,
                LOAD,
                keys.history(),
                freshEpochs.next(),
                cached == null ? "" : cached.epoch(),
                cached == null ? "0" : Long.toString(cached.rev()));
        if ("none".equals(reply.get(0))) {
            cache.remove(id);
            return new DocumentSnapshot(id, genesis(), 0, "");
        }
        String epoch = (String) reply.get(1);
        long rev = Long.parseLong((String) reply.get(2));
        long snapRev = Long.parseLong((String) reply.get(3));
        String content;
        int firstEntry;
        if ("delta".equals(reply.get(0))) {
            content = cached.content();
            firstEntry = 4;
        } else {
            if (cached != null && !cached.epoch().equals(epoch)) {
                log.warn("Document {} has a new epoch {}: its history in Redis was lost or replaced", id, epoch);
                cache.remove(id);
            }
            String snapshot = (String) reply.get(4);
            content = snapshot.isEmpty() ? "" : codec.decodeString(snapshot);
            firstEntry = 5;
        }
        HeadCache.Head head = "delta".equals(reply.get(0)) ? cached : null;
        for (Object entry : reply.subList(firstEntry, reply.size())) {
            CommittedOp op = codec.decode((String) entry);
            content = applyStored(id, op, content);
            // the ops just read are the recent history of the head: the next submit transforms without a read
            head = head != null && head.rev() == op.rev() - 1
                    ? head.then(op, snapRev, content)
                    : new HeadCache.Head(epoch, op.rev(), snapRev, content, List.of(op));
        }
        cache.put(
                id,
                head != null && head.rev() == rev
                        ? new HeadCache.Head(epoch, rev, snapRev, content, head.recent(), head.recentBytes())
                        : new HeadCache.Head(epoch, rev, snapRev, content));
        return new DocumentSnapshot(id, epoch, rev, content);
    }

    /** One {@code HMGET} per document, sent together on one connection: one round trip for all of them. */
    @Override
    public Map<DocumentId, HeadMark> heads(Collection<DocumentId> ids) {
        List<DocumentId> order = List.copyOf(ids);
        if (order.isEmpty()) {
            return Map.of();
        }
        String what = "read the heads of " + order.size() + " documents";
        List<String> metaKeys = order.stream().map(id -> keys(id).meta()).toList();
        List<? extends List<?>> replies = scripts.hashFields(what, metaKeys, "epoch", "rev");
        if (replies == null) {
            replies = pipelinedHashFields(what, metaKeys);
        }
        Map<DocumentId, HeadMark> heads = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            List<?> fields = replies.get(i);
            if (fields != null && fields.get(0) != null) {
                heads.put(
                        order.get(i),
                        new HeadMark(
                                (String) fields.get(0),
                                fields.get(1) == null ? 0 : Long.parseLong((String) fields.get(1))));
            }
        }
        return heads;
    }

    /** The same through the template, for a connection that is not Lettuce's standalone one. */
    private List<List<?>> pipelinedHashFields(String what, List<String> metaKeys) {
        List<Object> replies = RedisFailures.call(
                what,
                () -> redis.executePipelined((RedisCallback<Object>) connection -> {
                    for (String key : metaKeys) {
                        connection
                                .hashCommands()
                                .hMGet(
                                        key.getBytes(StandardCharsets.UTF_8),
                                        "epoch".getBytes(StandardCharsets.UTF_8),
                                        "rev".getBytes(StandardCharsets.UTF_8));
                    }
                    return null;
                }));
        return replies.stream().<List<?>>map(reply -> (List<?>) reply).toList();
    }

    @Override
    public Optional<RecentHead> recent(DocumentId id) {
        return cache.recent(id);
    }

    @Override
    public void committedElsewhere(DocumentId id, String epoch, CommittedOp op) {
        cache.advance(id, epoch, op);
    }

    @Override
    public Optional<List<CommittedOp>> opsSince(DocumentId id, String epoch, long rev) {
        RedisKeys keys = keys(id);
        List<?> reply =
                run("read the op log of " + id, OPS, List.of(keys.meta(), keys.log()), epoch, Long.toString(rev));
        if ("none".equals(reply.get(0))) {
            return rev == 0 && epoch.equals(genesis()) ? Optional.of(List.of()) : Optional.empty();
        }
        if ("gone".equals(reply.get(0))) {
            return Optional.empty();
        }
        List<CommittedOp> ops = new ArrayList<>(reply.size() - 1);
        for (Object entry : reply.subList(1, reply.size())) {
            ops.add(codec.decode((String) entry));
        }
        return Optional.of(ops);
    }

    @Override
    public OpIdLookup lookUp(DocumentId id, String epoch, ClientOpKey key, long baseRev) {
        RedisKeys keys = keys(id);
        List<?> reply = run(
                "look up an op id of " + id,
                FIND,
                List.of(keys.meta(), keys.ids()),
                epoch,
                codec.encodeString(key.value()),
                Long.toString(baseRev),
                genesis());
        return switch ((String) reply.get(0)) {
            case "found" -> new OpIdLookup.Found(Long.parseLong((String) reply.get(1)));
            case "absent" -> new OpIdLookup.Absent();
            default -> new OpIdLookup.Unknown();
        };
    }

    @Override
    public AppendOutcome appendAll(
            DocumentId id, String epoch, long expectedHeadRev, List<CommittedOp> ops, String newContent) {
        try {
            return appendAllAsync(id, epoch, expectedHeadRev, ops, newContent)
                    .toCompletableFuture()
                    .join();
        } catch (CompletionException ex) {
            throw RedisFailures.translate("commit to " + id, ex);
        }
    }

    /** One {@code EVALSHA} on Lettuce's shared connection; the reply is handled on Lettuce's I/O thread. */
    @Override
    public CompletionStage<AppendOutcome> appendAllAsync(
            DocumentId id, String epoch, long expectedHeadRev, List<CommittedOp> ops, String newContent) {
        HeadCache.requireConsecutive(expectedHeadRev, ops);
        List<String> entries = ops.stream().map(codec::encode).toList();
        CommittedOp last = ops.get(ops.size() - 1);
        // Send the content only when a compaction is due (by what this instance last read); if that guess is
        // wrong the script asks for it and the commit is repeated with it, still checked against the same head.
        HeadCache.Head cached = cache.get(id);
        boolean compactionDue = cached != null
                && cached.epoch().equals(epoch)
                && cached.rev() == expectedHeadRev
                && last.rev() - cached.snapRev() >= settings.compactEvery();
        List<String> args = commitArguments(id, epoch, expectedHeadRev, ops, entries);
        return commit(id, args, compactionDue ? newContent : null)
                // the second round trip is built from what was read before: nothing on Lettuce's thread waits
                .thenCompose(reply -> "content".equals(reply.get(0))
                        ? commit(id, args, newContent)
                        : CompletableFuture.completedFuture(reply))
                .thenCompose(reply -> "held".equals(reply.get(0))
                        ? heldUntilMoved(id, epoch, expectedHeadRev, reply)
                        : CompletableFuture.completedFuture(
                                outcome(id, epoch, expectedHeadRev, ops, newContent, reply)));
    }

    /** A commit held while another instance, which lost the last race, commits ({@link HeldCommits}). */
    private CompletableFuture<AppendOutcome> heldUntilMoved(
            DocumentId id, String epoch, long expectedHeadRev, List<?> reply) {
        long claimLeftMillis =
                Math.max(0, Math.min(settings.commitClaim().toMillis(), Long.parseLong((String) reply.get(2))));
        return HeldCommits.untilMoved(
                cache, id, epoch, expectedHeadRev, Long.parseLong((String) reply.get(1)), claimLeftMillis, background);
    }

    private AppendOutcome outcome(
            DocumentId id,
            String epoch,
            long expectedHeadRev,
            List<CommittedOp> ops,
            String newContent,
            List<?> reply) {
        String result = (String) reply.get(0);
        switch (result) {
            case "appended":
                cache.appended(id, epoch, expectedHeadRev, ops, Long.parseLong((String) reply.get(1)), newContent);
                return new AppendOutcome.Appended(ops.get(ops.size() - 1));
            case "duplicate":
                return new AppendOutcome.Duplicate(Long.parseLong((String) reply.get(1)));
            case "moved":
                headMovedBy(id, epoch, reply.subList(2, reply.size()));
                return new AppendOutcome.HeadMoved(Long.parseLong((String) reply.get(1)));
            case "epoch":
                cache.remove(id);
                return new AppendOutcome.EpochChanged((String) reply.get(1));
            default:
                throw new IllegalStateException("commit.lua answered " + reply + " for " + id);
        }
    }

    /**
     * The entries commit.lua sent with a {@code moved} (the ops this commit lost to, when few): this instance's head
     * moves on by them as by the relay, and the retry commits on it without reading the document.
     */
    private void headMovedBy(DocumentId id, String epoch, List<?> entries) {
        try {
            for (Object entry : entries) {
                cache.advance(id, epoch, codec.decode((String) entry));
            }
        } catch (RuntimeException ex) {
            // the retry reads the head instead
            log.debug("Could not apply the ops a commit to {} lost to", id, ex);
        }
    }

    /** commit.lua's arguments; the content, sent only when a compaction is due, is left empty. */
    private List<String> commitArguments(
            DocumentId id, String epoch, long expectedHeadRev, List<CommittedOp> ops, List<String> entries) {
        RedisKeys keys = keys(id);
        var limits = settings.limits();
        List<String> args = new ArrayList<>(16 + 3 * ops.size());
        args.addAll(List.of(
                epoch,
                Long.toString(expectedHeadRev),
                Integer.toString(ops.size()),
                Integer.toString(limits.retainedOps()),
                Integer.toString(settings.compactEvery()),
                "",
                keys.channel(),
                codec.publishedOpening(settings.instanceId().value(), id, epoch),
                freshEpochs.next(),
                genesis(),
                Long.toString(limits.retainedBytes()),
                Long.toString(ops.get(ops.size() - 1).timestamp().toEpochMilli()),
                Long.toString(limits.opIdWindow().toMillis()),
                Integer.toString(limits.opIdMax()),
                settings.instanceId().value(),
                Long.toString(settings.commitClaim().toMillis())));
        for (int i = 0; i < ops.size(); i++) {
            args.add(Long.toString(ops.get(i).rev()));
            args.add(codec.encodeString(ClientOpKey.of(ops.get(i)).value()));
            args.add(entries.get(i));
        }
        return args;
    }

    private CompletableFuture<List<?>> commit(DocumentId id, List<String> arguments, String content) {
        List<String> args = arguments;
        if (content != null) {
            args = new ArrayList<>(arguments);
            args.set(CONTENT_ARGUMENT, codec.encodeString(content));
        }
        RedisKeys keys = keys(id);
        return scripts.run("commit to " + id, COMMIT, keys.commit(), args);
    }

    /**
     * The epoch documents begin in: one key for the whole deployment, written once (or again after Redis lost it),
     * and read again every few seconds so that a flushed Redis soon gives new documents a new epoch. Only the first
     * read waits: later ones run in the background while the value known is used, so that a commit sent from a
     * request thread never waits on this read.
     */
    String genesis() {
        String known = genesis;
        if (known == null) {
            return readGenesis();
        }
        if (System.nanoTime() - genesisReadAt >= GENESIS_REFRESH_NANOS
                && genesisRefreshing.compareAndSet(false, true)) {
            try {
                background.execute(() -> {
                    try {
                        readGenesis();
                    } catch (RuntimeException ex) {
                        log.debug("Reading the genesis epoch again failed; the one known is used meanwhile", ex);
                    } finally {
                        genesisRefreshing.set(false);
                    }
                });
            } catch (RejectedExecutionException stopping) {
                // shutting down: the epoch known serves the last commits
                genesisRefreshing.set(false);
            }
        }
        return known;
    }

    private String readGenesis() {
        long now = System.nanoTime();
        String key = RedisKeys.genesis(settings.keyPrefix());
        String value = RedisFailures.call("read the genesis epoch", () -> {
            redis.opsForValue().setIfAbsent(key, UUID.randomUUID().toString());
            return redis.opsForValue().get(key);
        });
        genesis = value;
        genesisReadAt = now;
        return value;
    }

    /**
     * Once the genesis epoch is known and Lettuce's connection is open, a commit is one script written to that
     * connection and nothing else: a request thread may send it.
     */
    @Override
    public boolean appendsWithoutWaiting() {
        return genesis != null && scripts.connected();
    }

    private List<?> run(
            String what, @SuppressWarnings("rawtypes") RedisScript<List> script, List<String> keys, String... args) {
        List<?> reply = RedisFailures.call(what, () -> redis.execute(script, keys, (Object[]) args));
        if (reply == null || reply.isEmpty()) {
            throw new IllegalStateException("A Lua script answered nothing to " + what);
        }
        return reply;
    }

    private static String applyStored(DocumentId id, CommittedOp op, String content) {
        try {
            return op.op().apply(content);
        } catch (InvalidOperationException ex) {
            throw new IllegalStateException("Stored rev " + op.rev() + " of " + id + " does not apply to its base", ex);
        }
    }

    private RedisKeys keys(DocumentId id) {
        return RedisKeys.of(settings.keyPrefix(), id);
    }
}
