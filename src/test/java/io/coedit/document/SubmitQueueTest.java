package io.coedit.document;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.coedit.ot.TextOperation;

import static org.assertj.core.api.Assertions.assertThat;

/** The submit queue as a lifecycle: it finishes what it holds when stopped, and takes submits again when restarted. */
class SubmitQueueTest {

    private static final DocumentId DOC = new DocumentId("queued");

    private final DocumentService documents =
            new DocumentService(new InMemoryDocumentStore(100), new DocumentProperties(1000, 100), Clock.systemUTC());
    private final SubmitQueue queue = new SubmitQueue(documents, new DocumentProperties(1000, 100));

    private SubmitResult submit(String text, String id) throws Exception {
        CompletableFuture<SubmitResult> done = new CompletableFuture<>();
        DocumentSnapshot head = documents.snapshot(DOC);
        queue.submit(
                new SubmitQueue.Submission(
                        DOC,
                        head.epoch(),
                        head.rev(),
                        TextOperation.builder()
                                .retain(head.content().length())
                                .insert(text)
                                .build(),
                        id,
                        new Author("a", "A")),
                new SubmitQueue.Completion() {
                    @Override
                    public void accepted(SubmitResult result) {
                        done.complete(result);
                    }

                    @Override
                    public void rejected(SubmitRejectedException rejection) {
                        done.completeExceptionally(rejection);
                    }
                });
        return done.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aQueueStartedAgainAfterAStopStoresSubmitsAgain() throws Exception {
        queue.start();
        assertThat(submit("a", "c:1")).isInstanceOf(SubmitResult.Accepted.class);
        queue.stop();
        assertThat(queue.isRunning()).isFalse();
        // Spring stops the lifecycle beans of a test context it pauses, and starts them when it is used again
        queue.start();
        assertThat(submit("b", "c:2")).isInstanceOf(SubmitResult.Accepted.class);
        assertThat(documents.snapshot(DOC).content()).isEqualTo("ab");
        queue.stop();
    }
}
