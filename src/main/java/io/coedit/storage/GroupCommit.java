package io.coedit.storage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

import io.coedit.document.AppendOutcome;

/**
 * Commits of many documents in one transaction, so that one sync to disk carries them all (group commit). Each
 * caller queues its commit; when a writer's slot is free, the caller takes everything queued, runs each commit in
 * the shared transaction under a savepoint (a refused commit is rolled back alone) and commits once, while the
 * callers whose commits it took just wait for the outcome. Under
 * light load a batch is one commit; under heavy load the disk syncs once per batch instead of once per op.
 *
 * <p>Commits of one batch run in document-id order: transactions of several writers (instances, or permits) then
 * take their row locks in one global order and cannot deadlock. SQLite gets one writer, so its writers never meet
 * its busy handler, which sleeps; PostgreSQL gets several.
 */
final class GroupCommit {

    /** A commit whose row another writer took meanwhile: roll it back and run it again on what is there now. */
    static final class RetryException extends RuntimeException {
        RetryException() {
            super(null, null, false, false);
        }
    }

    /**
     * What one commit did, and whether what it wrote stays: an append's writes, or the claim a commit that lost a
     * race leaves (nothing else); anything else is rolled back.
     */
    record Done(AppendOutcome outcome, boolean keep) {

        /** Kept when it appended. */
        static Done of(AppendOutcome outcome) {
            return new Done(outcome, outcome instanceof AppendOutcome.Appended);
        }
    }

    private static final class Pending {
        private final String order;
        private final Supplier<Done> work;
        private final CompletableFuture<AppendOutcome> result = new CompletableFuture<>();
        /** Set when a writer took it into a batch (guarded by the lock). */
        private boolean taken;

        Pending(String order, Supplier<Done> work) {
            this.order = order;
            this.work = work;
        }

        String order() {
            return order;
        }

        Supplier<Done> work() {
            return work;
        }

        CompletableFuture<AppendOutcome> result() {
            return result;
        }
    }

    private final TransactionTemplate transactions;
    private final int writers;
    private final int maxBatch;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition slotFree = lock.newCondition();
    /** Commits waiting for a batch, oldest first (guarded by {@link #lock}). */
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** Batches running now (guarded by {@link #lock}). */
    private int writing;

    GroupCommit(TransactionTemplate transactions, int writers, int maxBatch) {
        this.transactions = transactions;
        this.writers = writers;
        this.maxBatch = maxBatch;
    }

    /**
     * Runs {@code work} in a transaction, possibly shared with other commits, and returns its outcome once the
     * transaction committed; only what a {@link Done#keep() kept} outcome wrote stays.
     *
     * @param order where this commit goes in its batch (the document id)
     * @throws RetryException when another writer took the row first: nothing of it was written
     * @throws RuntimeException the database's failure: nothing of it was written
     */
    AppendOutcome commit(String order, Supplier<Done> work) {
        Pending mine = new Pending(order, work);
        List<Pending> batch = null;
        lock.lock();
        try {
            queue.add(mine);
            // wait until this commit is taken into a batch, by another writer or by this caller once a writer's
            // slot is free: everyone queued while a batch syncs goes into the next one
            while (!mine.taken && writing >= writers) {
                slotFree.awaitUninterruptibly();
            }
            if (!mine.taken) {
                writing++;
                batch = drain();
            }
        } finally {
            lock.unlock();
        }
        if (batch != null) {
            try {
                run(batch);
            } finally {
                lock.lock();
                try {
                    writing--;
                    // every waiter: those whose commits this batch took may leave, one of the others writes next
                    slotFree.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
        try {
            return mine.result().get();
        } catch (ExecutionException | CompletionException ex) {
            throw ex.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while committing", ex);
        }
    }

    /** Takes the oldest queued commits; the caller holds the lock. */
    private List<Pending> drain() {
        List<Pending> batch = new ArrayList<>();
        for (Pending next = queue.poll(); next != null; next = batch.size() < maxBatch ? queue.poll() : null) {
            next.taken = true;
            batch.add(next);
        }
        batch.sort(Comparator.comparing(Pending::order));
        return batch;
    }

    private void run(List<Pending> batch) {
        List<Object> outcomes = new ArrayList<>(batch.size());
        try {
            transactions.executeWithoutResult(status -> {
                boolean keepAny = false;
                for (Pending pending : batch) {
                    Object outcome = batch.size() == 1 ? runAlone(pending, status) : runInSavepoint(pending, status);
                    if (outcome instanceof Done done) {
                        keepAny |= done.keep();
                        outcome = done.outcome();
                    }
                    outcomes.add(outcome);
                }
                if (!keepAny) {
                    status.setRollbackOnly();
                }
            });
        } catch (ConcurrencyFailureException ex) {
            // a lock the database gave up on (a deadlock it broke, a lock timeout): nothing was written; each
            // commit runs again on what is there now
            batch.forEach(pending -> pending.result().completeExceptionally(new RetryException()));
            return;
        } catch (RuntimeException | Error ex) {
            batch.forEach(pending -> pending.result().completeExceptionally(ex));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            Object outcome = outcomes.get(i);
            if (outcome instanceof AppendOutcome appended) {
                batch.get(i).result().complete(appended);
            } else {
                batch.get(i).result().completeExceptionally((RuntimeException) outcome);
            }
        }
    }

    /** One commit in its own transaction: one not kept rolls the transaction back, a retry propagates. */
    private static Object runAlone(Pending pending, TransactionStatus status) {
        try {
            Done done = pending.work().get();
            if (!done.keep()) {
                status.setRollbackOnly();
            }
            return done;
        } catch (RetryException | DuplicateKeyException ex) {
            status.setRollbackOnly();
            return new RetryException();
        }
    }

    private static Object runInSavepoint(Pending pending, TransactionStatus status) {
        Object savepoint = status.createSavepoint();
        try {
            Done done = pending.work().get();
            if (!done.keep()) {
                status.rollbackToSavepoint(savepoint);
            }
            status.releaseSavepoint(savepoint);
            return done;
        } catch (RetryException | DuplicateKeyException ex) {
            status.rollbackToSavepoint(savepoint);
            status.releaseSavepoint(savepoint);
            return new RetryException();
        }
    }
}
