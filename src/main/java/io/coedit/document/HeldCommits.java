package io.coedit.document;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The wait of a commit that another instance's claim held: that instance lost the last race for the document and
 * commits next (see {@code docs/architecture.md}). The held commit is answered as lost once this instance's cached
 * head has moved past the head it was tried on, which the relay brings with the claimant's commit (the retry then
 * commits on that head without a read), or when the claim runs out (the retry reads the head first). Nothing waits
 * meanwhile: a timer looks at the cache again every {@link #POLL_MICROS} µs, only while the claim lasts.
 */
public final class HeldCommits {

    /** How often a held commit looks whether the relay has brought the claimant's commit. */
    static final long POLL_MICROS = 250;

    private HeldCommits() {}

    /**
     * Completes with {@link AppendOutcome.HeadMoved} at the cached head once it is past {@code triedRev} in
     * {@code epoch}, or at {@code headRev} (the head the store reported) after {@code claimLeftMillis}.
     *
     * @param timer where the cache is looked at; the lapse completes the answer on the JDK's own delay thread, so a
     *              held commit ends even if that timer stopped
     */
    public static CompletableFuture<AppendOutcome> untilMoved(
            HeadCache cache,
            DocumentId id,
            String epoch,
            long triedRev,
            long headRev,
            long claimLeftMillis,
            Executor timer) {
        CompletableFuture<AppendOutcome> moved = new CompletableFuture<>();
        moved.completeOnTimeout(new AppendOutcome.HeadMoved(headRev), claimLeftMillis + 1, TimeUnit.MILLISECONDS);
        Executor later = CompletableFuture.delayedExecutor(POLL_MICROS, TimeUnit.MICROSECONDS, timer);
        Runnable look = new Runnable() {
            @Override
            public void run() {
                HeadCache.Head cached = cache.get(id);
                if (cached != null && cached.epoch().equals(epoch) && cached.rev() > triedRev) {
                    moved.complete(new AppendOutcome.HeadMoved(cached.rev()));
                } else if (!moved.isDone()) {
                    later.execute(this);
                }
            }
        };
        look.run();
        return moved;
    }
}
