package io.coedit.storage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import javax.sql.DataSource;

import lombok.extern.slf4j.Slf4j;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

import io.coedit.document.AppendOutcome;
import io.coedit.document.ClientOpKey;
import io.coedit.document.CommitFeed;
import io.coedit.document.CommittedOp;
import io.coedit.document.DocumentId;
import io.coedit.document.DocumentSnapshot;
import io.coedit.document.DocumentStore;
import io.coedit.document.DocumentStoreUnavailableException;
import io.coedit.document.HeadCache;
import io.coedit.document.HeadMark;
import io.coedit.document.HeldCommits;
import io.coedit.document.LogEntryCodec;
import io.coedit.document.LogLimits;
import io.coedit.document.OpIdLookup;
import io.coedit.document.RecentHead;
import io.coedit.ot.InvalidOperationException;

/**
 * Documents in a SQL database: SQLite in a local file ({@code coedit.storage.type=file}) or PostgreSQL
 * ({@code postgres}), with one schema ({@code io/coedit/storage/migration}, described in {@code docs/storage.md}).
 *
 * <p><b>Atomic across instances.</b> An append is one transaction: it checks the client op keys, then moves the
 * document row on with a conditional update ({@code WHERE rev = expected}), inserts the ops under the primary key
 * (document, revision) and their keys under (document, key). Two writers of the same revision cannot both commit:
 * the second update finds the head moved (PostgreSQL re-checks the row after the first commits; SQLite has one
 * writer at a time), and the keys would collide anyway. An op is acked only after its transaction committed.
 *
 * <p><b>Fast path.</b> The head the last commit or read produced stays in a {@link HeadCache}, with its recent ops,
 * so a submit transforms without reading the database; only the commit writes. The snapshot column is rewritten
 * every {@code snapshotEvery} ops, not on every op, and a head is rebuilt from it and the ops after it.
 *
 * <p><b>A document several instances write.</b> The instance whose commit lost a race claims the next commit (two
 * columns of the document row): the others' commits are held, writing nothing, until the relay brought its commit
 * ({@link HeldCommits}); a lost commit's answer carries the ops it lost to, so the retry needs no read.
 *
 * <p><b>Group commit.</b> Commits of several documents that wait at the same moment share one transaction, and so
 * one sync to disk ({@link GroupCommit}); each keeps its own outcome.
 *
 * <p>Failures: {@link DocumentStoreUnavailableException} when the database cannot be reached or answers with an
 * error; the transaction then wrote nothing, and a retry with the same client op id is recognised if it did.
 */
@Slf4j
public class JdbcDocumentStore implements DocumentStore {

    /** How often a read or commit that met a concurrent writer is tried again before giving up. */
    private static final int CONCURRENT_RETRIES = 3;
    /** Commits that share one transaction at most. */
    private static final int MAX_BATCH = 64;
    /**
     * A lost commit's answer carries the ops it lost to, when they are at most this many, and this many characters
     * of entries: its instance's head moves on by them and the retry places without a read, as in Redis mode.
     */
    private static final int MAX_MISSED_OPS = 64;

    private static final int MAX_MISSED_CHARS = 64 * 1024;
    /** Ids per {@code IN (...)} list: below every database's bound on parameters. */
    private static final int IDS_PER_QUERY = 256;
    /**
     * How long the instance whose commit lost a race commits next: as in Redis mode ({@code commit.lua}), long
     * enough for a retry on an instance short of CPU, short enough that a claimant gone quiet holds others briefly.
     */
    static final Duration COMMIT_CLAIM = Duration.ofMillis(200);
    /**
     * The condition, with three parameters (this instance, now, now plus the claim), that no other instance's claim
     * holds this commit off. A claim further ahead than a claim lasts comes from a clock ahead of this one and is
     * ignored, so skewed clocks shorten claims but never hold commits longer than {@link #COMMIT_CLAIM}.
     */
    private static final String NOT_HELD =
            " AND (claim_by IS NULL OR claim_by = ? OR claim_until <= ? OR claim_until > ?)";

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final GroupCommit groupCommit;
    private final LogLimits limits;
    private final int snapshotEvery;
    private final CommitFeed feed;
    private final HeadCache cache;
    private final LogEntryCodec codec = new LogEntryCodec();
    private final String genesis;
    /** Who this store is in the claims of the database's documents: this process, as long as it runs. */
    private final String instance = UUID.randomUUID().toString();

    private final long claimMillis;

    /**
     * @param writers how many transactions commit at once ({@link GroupCommit}): 1 for SQLite, which has one
     *                writer anyway, a few for PostgreSQL
     * @param commitClaim how long the instance whose commit lost a race commits next ({@link #COMMIT_CLAIM})
     */
    public JdbcDocumentStore(
            DataSource dataSource,
            LogLimits limits,
            int snapshotEvery,
            HeadCache cache,
            CommitFeed feed,
            int writers,
            Duration commitClaim) {
        this.jdbc = JdbcClient.create(dataSource);
        this.batch = new JdbcTemplate(dataSource);
        this.groupCommit = new GroupCommit(
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)), writers, MAX_BATCH);
        this.limits = limits;
        this.snapshotEvery = snapshotEvery;
        this.cache = cache;
        this.feed = feed;
        this.claimMillis = commitClaim.toMillis();
        this.genesis = call("read the genesis epoch", this::readOrCreateGenesis);
    }

    private String readOrCreateGenesis() {
        jdbc.sql("INSERT INTO coedit_meta (name, value) VALUES ('genesis', ?) ON CONFLICT (name) DO NOTHING")
                .param(UUID.randomUUID().toString())
                .update();
        return jdbc.sql("SELECT value FROM coedit_meta WHERE name = 'genesis'")
                .query(String.class)
                .single();
    }

    /** The document row's head columns; {@code claimUntil} is 0 when no instance claims the next commit. */
    private record Head(
            String epoch,
            long rev,
            long snapRev,
            long logFrom,
            long logBytes,
            long keysFrom,
            String claimBy,
            long claimUntil) {}

    private Optional<Head> head(DocumentId id) {
        return jdbc.sql("SELECT epoch, rev, snap_rev, log_from, log_bytes, keys_from, claim_by, claim_until"
                        + " FROM documents WHERE id = ?")
                .param(id.value())
                .query((rs, row) -> new Head(
                        rs.getString(1),
                        rs.getLong(2),
                        rs.getLong(3),
                        rs.getLong(4),
                        rs.getLong(5),
                        rs.getLong(6),
                        rs.getString(7),
                        rs.getLong(8)))
                .optional();
    }

    @Override
    public DocumentSnapshot snapshot(DocumentId id) {
        return call("read document " + id, () -> {
            for (int attempt = 0; attempt < CONCURRENT_RETRIES; attempt++) {
                DocumentSnapshot read = readHead(id);
                if (read != null) {
                    return read;
                }
            }
            throw new DocumentStoreUnavailableException("Document " + id + " kept changing while it was read", null);
        });
    }

    /** The head, or null when a concurrent trim took ops this read needed (the caller reads again). */
    private DocumentSnapshot readHead(DocumentId id) {
        Head head = head(id).orElse(null);
        if (head == null) {
            cache.remove(id);
            return new DocumentSnapshot(id, genesis, 0, "");
        }
        HeadCache.Head cached = cache.get(id);
        if (cached != null && cached.epoch().equals(head.epoch()) && cached.rev() <= head.rev()) {
            if (cached.rev() == head.rev()) {
                return new DocumentSnapshot(id, cached.epoch(), cached.rev(), cached.content());
            }
            List<CommittedOp> missing = readOps(id, cached.rev(), head.rev(), Integer.MAX_VALUE);
            if (consecutive(missing, cached.rev(), head.rev())) {
                HeadCache.Head next = cached;
                for (CommittedOp op : missing) {
                    next = next.then(op, head.snapRev(), applyStored(id, op, next.content()));
                }
                cache.put(id, next);
                return new DocumentSnapshot(id, next.epoch(), next.rev(), next.content());
            }
        }
        record Snapshot(String epoch, long rev, long snapRev, String content) {}
        Snapshot snapshot = jdbc.sql("SELECT epoch, rev, snap_rev, snapshot FROM documents WHERE id = ?")
                .param(id.value())
                .query((rs, row) -> new Snapshot(
                        rs.getString(1), rs.getLong(2), rs.getLong(3), codec.decodeString(rs.getString(4))))
                .single();
        List<CommittedOp> after = readOps(id, snapshot.snapRev(), snapshot.rev(), Integer.MAX_VALUE);
        if (!consecutive(after, snapshot.snapRev(), snapshot.rev())) {
            return null;
        }
        if (cached != null && !cached.epoch().equals(snapshot.epoch())) {
            log.warn("Document {} has a new epoch {}: its history was replaced", id, snapshot.epoch());
        }
        HeadCache.Head rebuilt =
                new HeadCache.Head(snapshot.epoch(), snapshot.snapRev(), snapshot.snapRev(), snapshot.content());
        for (CommittedOp op : after) {
            rebuilt = rebuilt.then(op, snapshot.snapRev(), applyStored(id, op, rebuilt.content()));
        }
        cache.remove(id);
        cache.put(id, rebuilt);
        return new DocumentSnapshot(id, rebuilt.epoch(), rebuilt.rev(), rebuilt.content());
    }

    /** The ops with revisions in ({@code after}, {@code upTo}], oldest first, at most {@code max}. */
    private List<CommittedOp> readOps(DocumentId id, long after, long upTo, int max) {
        if (upTo <= after) {
            return List.of();
        }
        return jdbc.sql("SELECT entry FROM ops WHERE doc_id = ? AND rev > ? AND rev <= ? ORDER BY rev LIMIT ?")
                .params(id.value(), after, upTo, max)
                .query((rs, row) -> codec.decode(rs.getString(1)))
                .list();
    }

    private static boolean consecutive(List<CommittedOp> ops, long after, long upTo) {
        if (ops.size() != upTo - after) {
            return false;
        }
        for (int i = 0; i < ops.size(); i++) {
            if (ops.get(i).rev() != after + 1 + i) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Optional<List<CommittedOp>> opsSince(DocumentId id, String epoch, long rev) {
        return opsSince(id, epoch, rev, Integer.MAX_VALUE);
    }

    @Override
    public Optional<List<CommittedOp>> opsSince(DocumentId id, String epoch, long rev, int maxOps) {
        return call("read the op log of " + id, () -> {
            Head head = head(id).orElse(null);
            if (head == null) {
                return rev == 0 && epoch.equals(genesis) ? Optional.of(List.of()) : Optional.empty();
            }
            if (!head.epoch().equals(epoch) || rev > head.rev() || rev < head.logFrom() - 1) {
                return Optional.empty();
            }
            long upTo = Math.min(head.rev(), rev + Math.max(0, maxOps));
            List<CommittedOp> ops = readOps(id, rev, upTo, maxOps);
            // a trim between the two reads shows as a missing start: never hand out a partial history
            return consecutive(ops, rev, upTo) ? Optional.of(ops) : Optional.empty();
        });
    }

    @Override
    public OpIdLookup lookUp(DocumentId id, String epoch, ClientOpKey key, long baseRev) {
        return call("look up an op id of " + id, () -> {
            Head head = head(id).orElse(null);
            if (head == null) {
                return new OpIdLookup.Absent();
            }
            if (!head.epoch().equals(epoch)) {
                return new OpIdLookup.Unknown();
            }
            Optional<Long> rev = jdbc.sql("SELECT rev FROM op_keys WHERE doc_id = ? AND op_key = ?")
                    .params(id.value(), codec.encodeString(key.value()))
                    .query(Long.class)
                    .optional();
            return rev.<OpIdLookup>map(OpIdLookup.Found::new)
                    .orElseGet(() -> OpIdLookup.missing(baseRev, head.keysFrom()));
        });
    }

    @Override
    public Map<DocumentId, HeadMark> heads(Collection<DocumentId> ids) {
        List<DocumentId> all = List.copyOf(ids);
        Map<DocumentId, HeadMark> heads = new HashMap<>();
        for (int from = 0; from < all.size(); from += IDS_PER_QUERY) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + IDS_PER_QUERY)).stream()
                    .map(DocumentId::value)
                    .toList();
            call("read the heads of " + chunk.size() + " documents", () -> {
                jdbc.sql("SELECT id, epoch, rev FROM documents WHERE id IN (" + placeholders(chunk.size()) + ")")
                        .params(chunk)
                        .query(rs -> {
                            heads.put(new DocumentId(rs.getString(1)), new HeadMark(rs.getString(2), rs.getLong(3)));
                        });
                return null;
            });
        }
        return heads;
    }

    @Override
    public Optional<RecentHead> recent(DocumentId id) {
        return cache.recent(id);
    }

    @Override
    public void committedElsewhere(DocumentId id, String epoch, CommittedOp op) {
        cache.advance(id, epoch, op);
    }

    /**
     * Commits, or answers HeadMoved; a commit that another instance's claim held is answered once the relay brought
     * the claimant's commit or the claim ran out, this thread waiting meanwhile (at most {@link #COMMIT_CLAIM}).
     */
    @Override
    public AppendOutcome appendAll(
            DocumentId id, String epoch, long expectedHeadRev, List<CommittedOp> ops, String contentAfter) {
        Commit commit = attempt(id, epoch, expectedHeadRev, ops, contentAfter);
        return commit.heldMillis > 0 ? heldUntilMoved(commit).join() : commit.outcome;
    }

    /** {@link #appendAll}, but a held commit waits without a thread ({@link HeldCommits}). */
    @Override
    public CompletionStage<AppendOutcome> appendAllAsync(
            DocumentId id, String epoch, long expectedHeadRev, List<CommittedOp> ops, String contentAfter) {
        try {
            Commit commit = attempt(id, epoch, expectedHeadRev, ops, contentAfter);
            return commit.heldMillis > 0 ? heldUntilMoved(commit) : CompletableFuture.completedFuture(commit.outcome);
        } catch (RuntimeException ex) {
            return CompletableFuture.failedFuture(ex);
        }
    }

    private CompletableFuture<AppendOutcome> heldUntilMoved(Commit commit) {
        long headRev = ((AppendOutcome.HeadMoved) commit.outcome).headRev();
        // the look at the cache is a map read: the JDK's delay thread runs it itself
        return HeldCommits.untilMoved(
                cache, commit.id, commit.epoch, commit.expectedHeadRev, headRev, commit.heldMillis, Runnable::run);
    }

    private Commit attempt(
            DocumentId id, String epoch, long expectedHeadRev, List<CommittedOp> ops, String contentAfter) {
        HeadCache.requireConsecutive(expectedHeadRev, ops);
        Commit commit = new Commit(id, epoch, expectedHeadRev, ops, contentAfter);
        AppendOutcome outcome = call("commit to " + id, () -> {
            for (int attempt = 0; attempt < CONCURRENT_RETRIES; attempt++) {
                try {
                    return groupCommit.commit(id.value(), commit::run);
                } catch (GroupCommit.RetryException ex) {
                    // another writer took this revision or key at the same moment; nothing of this commit was
                    // written: read again, and answer what the document now says
                }
            }
            return new AppendOutcome.HeadMoved(head(id).map(Head::rev).orElse(0L));
        });
        if (outcome instanceof AppendOutcome.Appended) {
            commit.remember();
            feed.committed(id, epoch, ops);
        } else if (outcome instanceof AppendOutcome.HeadMoved) {
            movedBy(id, epoch, commit.missed);
        } else if (outcome instanceof AppendOutcome.EpochChanged) {
            cache.remove(id);
        }
        commit.outcome = outcome;
        return commit;
    }

    /** One append, as the statements it runs in a (possibly shared) transaction. */
    private final class Commit {
        private final DocumentId id;
        private final String epoch;
        private final long expectedHeadRev;
        private final List<CommittedOp> ops;
        private final String contentAfter;
        private final List<String> keys;
        private final List<String> entries;
        private final long addedBytes;
        private final CommittedOp last;
        private long snapRevAfter;
        /** How long another instance's claim holds this commit off (0: not held); set by the last run. */
        private long heldMillis;
        /** The entries a lost commit's head lacks (empty: too many, or held); set by the last run. */
        private List<String> missed = List.of();

        private AppendOutcome outcome;

        Commit(DocumentId id, String epoch, long expectedHeadRev, List<CommittedOp> ops, String contentAfter) {
            this.id = id;
            this.epoch = epoch;
            this.expectedHeadRev = expectedHeadRev;
            this.ops = ops;
            this.contentAfter = contentAfter;
            this.keys = ops.stream()
                    .map(op -> codec.encodeString(ClientOpKey.of(op).value()))
                    .toList();
            this.entries = ops.stream().map(codec::encode).toList();
            this.addedBytes = ops.stream().mapToLong(CommittedOp::sizeInBytes).sum();
            this.last = ops.get(ops.size() - 1);
        }

        /**
         * The checks, in the order of {@code commit.lua}: the epoch, the op keys, another instance's claim (held:
         * nothing written), the head (lost: this instance claims the next commit, and only that is kept).
         */
        GroupCommit.Done run() {
            heldMillis = 0;
            missed = List.of();
            Head head = head(id).orElse(null);
            if (head == null) {
                if (!epoch.equals(genesis)) {
                    return GroupCommit.Done.of(new AppendOutcome.EpochChanged(genesis));
                }
                if (expectedHeadRev != 0) {
                    return GroupCommit.Done.of(new AppendOutcome.HeadMoved(0));
                }
                create();
            } else {
                if (!head.epoch().equals(epoch)) {
                    return GroupCommit.Done.of(new AppendOutcome.EpochChanged(head.epoch()));
                }
                Optional<Long> original = acceptedBefore();
                if (original.isPresent()) {
                    return GroupCommit.Done.of(new AppendOutcome.Duplicate(original.get()));
                }
                long now = System.currentTimeMillis();
                long held = heldFor(head, now);
                if (held > 0) {
                    heldMillis = held;
                    return GroupCommit.Done.of(new AppendOutcome.HeadMoved(head.rev()));
                }
                if (head.rev() != expectedHeadRev) {
                    missed = missedEntries(head.rev());
                    return new GroupCommit.Done(new AppendOutcome.HeadMoved(head.rev()), claim(now));
                }
                moveOn(head, now);
            }
            insertOps();
            long logFrom = head == null ? 1 : head.logFrom();
            long logBytes = (head == null ? 0 : head.logBytes()) + addedBytes;
            trimLog(logFrom, logBytes);
            trimKeys(head == null ? 1 : head.keysFrom());
            return GroupCommit.Done.of(new AppendOutcome.Appended(last));
        }

        /**
         * The entries after the head this commit was tried on, up to {@code headRev}, when there are few: read in the
         * lost commit's transaction, they spare the retry a read, which the relay (publishing after the winner's
         * commit) had mostly not yet made unnecessary.
         */
        private List<String> missedEntries(long headRev) {
            long behind = headRev - expectedHeadRev;
            if (behind <= 0 || behind > MAX_MISSED_OPS) {
                return List.of();
            }
            List<String> entries = jdbc.sql(
                            "SELECT entry FROM ops WHERE doc_id = ? AND rev > ? AND rev <= ? ORDER BY rev")
                    .params(id.value(), expectedHeadRev, headRev)
                    .query(String.class)
                    .list();
            long chars = entries.stream().mapToLong(String::length).sum();
            return entries.size() == behind && chars <= MAX_MISSED_CHARS ? entries : List.of();
        }

        /** Claims the next commit of the document for this instance, unless another's claim holds; whether it did. */
        private boolean claim(long now) {
            return jdbc.sql("UPDATE documents SET claim_by = ?, claim_until = ? WHERE id = ?" + NOT_HELD)
                            .params(instance, now + claimMillis, id.value(), instance, now, now + claimMillis)
                            .update()
                    == 1;
        }

        /**
         * The first revision among these keys, if any was accepted. No ORDER BY in SQL: with it SQLite walks the
         * (document, revision) index through every key of the document instead of looking the keys up.
         */
        private Optional<Long> acceptedBefore() {
            return jdbc
                    .sql("SELECT rev FROM op_keys WHERE doc_id = ? AND op_key IN (" + placeholders(keys.size()) + ")")
                    .params(concat(id.value(), keys))
                    .query(Long.class)
                    .list()
                    .stream()
                    .min(Long::compare);
        }

        private void create() {
            snapRevAfter = last.rev() >= snapshotEvery ? last.rev() : 0;
            int created = jdbc.sql("INSERT INTO documents (id, epoch, rev, snap_rev, snapshot, log_from, log_bytes,"
                            + " keys_from, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, 1, ?) ON CONFLICT (id) DO NOTHING")
                    .params(
                            id.value(),
                            epoch,
                            last.rev(),
                            snapRevAfter,
                            codec.encodeString(snapRevAfter == 0 ? "" : contentAfter),
                            addedBytes,
                            System.currentTimeMillis())
                    .update();
            if (created == 0) {
                throw new GroupCommit.RetryException();
            }
        }

        /**
         * The conditional update that makes this commit the only one of its revision, and ends any claim: a claim
         * that another instance set since the head was read (PostgreSQL re-checks the row) sends it round again.
         */
        private void moveOn(Head head, long now) {
            boolean snapshotDue = last.rev() - head.snapRev() >= snapshotEvery;
            snapRevAfter = snapshotDue ? last.rev() : head.snapRev();
            int moved = snapshotDue
                    ? jdbc.sql("UPDATE documents SET rev = ?, snap_rev = ?, snapshot = ?, log_bytes = log_bytes + ?,"
                                    + " updated_at = ?, claim_by = NULL, claim_until = NULL"
                                    + " WHERE id = ? AND epoch = ? AND rev = ?" + NOT_HELD)
                            .params(
                                    last.rev(),
                                    last.rev(),
                                    codec.encodeString(contentAfter),
                                    addedBytes,
                                    System.currentTimeMillis(),
                                    id.value(),
                                    epoch,
                                    expectedHeadRev,
                                    instance,
                                    now,
                                    now + claimMillis)
                            .update()
                    : jdbc.sql("UPDATE documents SET rev = ?, log_bytes = log_bytes + ?, updated_at = ?,"
                                    + " claim_by = NULL, claim_until = NULL WHERE id = ? AND epoch = ? AND rev = ?"
                                    + NOT_HELD)
                            .params(
                                    last.rev(),
                                    addedBytes,
                                    System.currentTimeMillis(),
                                    id.value(),
                                    epoch,
                                    expectedHeadRev,
                                    instance,
                                    now,
                                    now + claimMillis)
                            .update();
            if (moved == 0) {
                throw new GroupCommit.RetryException();
            }
        }

        private void insertOps() {
            List<Object[]> opRows = new ArrayList<>(ops.size());
            List<Object[]> keyRows = new ArrayList<>(ops.size());
            for (int i = 0; i < ops.size(); i++) {
                CommittedOp op = ops.get(i);
                opRows.add(new Object[] {id.value(), op.rev(), entries.get(i), op.sizeInBytes()});
                keyRows.add(new Object[] {
                    id.value(), keys.get(i), op.rev(), op.timestamp().toEpochMilli()
                });
            }
            batch.batchUpdate("INSERT INTO ops (doc_id, rev, entry, bytes) VALUES (?, ?, ?, ?)", opRows);
            batch.batchUpdate("INSERT INTO op_keys (doc_id, op_key, rev, accepted_at) VALUES (?, ?, ?, ?)", keyRows);
        }

        /**
         * Keeps the log within the retention (count and bytes, at least the newest op). The head is rebuilt from
         * the snapshot and every op after it, so a trim that would pass the snapshot writes the snapshot anew first.
         */
        private void trimLog(long logFrom, long logBytes) {
            long count = last.rev() - logFrom + 1;
            if (count <= limits.retainedOps() && logBytes <= limits.retainedBytes()) {
                return;
            }
            long cut = Math.max(logFrom - 1, last.rev() - limits.retainedOps());
            long removedBytes = cut >= logFrom ? bytesOf(logFrom, cut) : 0;
            while (logBytes - removedBytes > limits.retainedBytes() && cut < last.rev() - 1) {
                List<long[]> oldest = jdbc.sql("SELECT rev, bytes FROM ops WHERE doc_id = ? AND rev > ? AND rev < ?"
                                + " ORDER BY rev LIMIT 64")
                        .params(id.value(), cut, last.rev())
                        .query((rs, row) -> new long[] {rs.getLong(1), rs.getLong(2)})
                        .list();
                for (long[] op : oldest) {
                    if (logBytes - removedBytes <= limits.retainedBytes()) {
                        break;
                    }
                    cut = op[0];
                    removedBytes += op[1];
                }
                if (oldest.isEmpty()) {
                    break;
                }
            }
            if (cut < logFrom) {
                return;
            }
            jdbc.sql("DELETE FROM ops WHERE doc_id = ? AND rev <= ?")
                    .params(id.value(), cut)
                    .update();
            if (cut > snapRevAfter) {
                snapRevAfter = last.rev();
                jdbc.sql("UPDATE documents SET snap_rev = ?, snapshot = ? WHERE id = ?")
                        .params(last.rev(), codec.encodeString(contentAfter), id.value())
                        .update();
            }
            jdbc.sql("UPDATE documents SET log_from = ?, log_bytes = ? WHERE id = ?")
                    .params(cut + 1, logBytes - removedBytes, id.value())
                    .update();
        }

        private long bytesOf(long fromRev, long toRev) {
            return jdbc.sql("SELECT COALESCE(SUM(bytes), 0) FROM ops WHERE doc_id = ? AND rev >= ? AND rev <= ?")
                    .params(id.value(), fromRev, toRev)
                    .query(Long.class)
                    .single();
        }

        /** Forgets the keys beyond the op-id count and time window, oldest first, as the memory store does. */
        private void trimKeys(long keysFrom) {
            long cut = Math.max(keysFrom - 1, last.rev() - limits.opIdMax());
            long expiredBefore = last.timestamp().minus(limits.opIdWindow()).toEpochMilli();
            // the oldest key first: on most commits it is within the window and that one read is all
            int batchSize = 1;
            while (true) {
                List<long[]> oldest = jdbc.sql("SELECT rev, accepted_at FROM op_keys WHERE doc_id = ? AND rev > ?"
                                + " ORDER BY rev LIMIT ?")
                        .params(id.value(), cut, batchSize)
                        .query((rs, row) -> new long[] {rs.getLong(1), rs.getLong(2)})
                        .list();
                boolean reachedAKeptKey = oldest.size() < batchSize;
                for (long[] key : oldest) {
                    if (key[1] >= expiredBefore) {
                        reachedAKeptKey = true;
                        break;
                    }
                    cut = key[0];
                }
                if (reachedAKeptKey) {
                    break;
                }
                batchSize = 64;
            }
            if (cut < keysFrom) {
                return;
            }
            jdbc.sql("DELETE FROM op_keys WHERE doc_id = ? AND rev <= ?")
                    .params(id.value(), cut)
                    .update();
            jdbc.sql("UPDATE documents SET keys_from = ? WHERE id = ?")
                    .params(cut + 1, id.value())
                    .update();
        }

        /** After the transaction committed: the head this instance now knows, for the next submit. */
        void remember() {
            cache.appended(id, epoch, expectedHeadRev, ops, snapRevAfter, contentAfter);
        }
    }

    /** Moves this instance's head on by the entries a lost commit read; on any trouble the retry reads instead. */
    private void movedBy(DocumentId id, String epoch, List<String> entries) {
        try {
            for (String entry : entries) {
                cache.advance(id, epoch, codec.decode(entry));
            }
        } catch (RuntimeException ex) {
            log.debug("Could not apply the ops a commit to {} lost to", id, ex);
        }
    }

    /** How long another instance's claim still holds this instance's commits off at {@code now}; 0 when none does. */
    private long heldFor(Head head, long now) {
        boolean held = head.claimBy() != null
                && !head.claimBy().equals(instance)
                && head.claimUntil() > now
                && head.claimUntil() <= now + claimMillis;
        return held ? head.claimUntil() - now : 0;
    }

    private static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }

    private static List<Object> concat(Object first, List<?> rest) {
        List<Object> all = new ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private static String applyStored(DocumentId id, CommittedOp op, String content) {
        try {
            return op.op().apply(content);
        } catch (InvalidOperationException ex) {
            throw new IllegalStateException("Stored rev " + op.rev() + " of " + id + " does not apply to its base", ex);
        }
    }

    private static <T> T call(String what, Supplier<T> work) {
        try {
            return work.get();
        } catch (DataAccessException | TransactionException ex) {
            throw new DocumentStoreUnavailableException(
                    "The database failed to " + what + ": "
                            + ex.getMostSpecificCause().getMessage(),
                    ex);
        }
    }
}
