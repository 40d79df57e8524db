package io.coedit.ws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.coedit.support.Tokens;
import io.coedit.support.WsClient;

import static io.coedit.support.OpMessages.insertAtEnd;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many clients closing at once while the server writes to them. Tomcat answers a client's close frame on the thread
 * that read it, and first waits for the write in progress to that client; that write is finished by a task on
 * Tomcat's pool. With every pool thread answering a close, those tasks could not run, and the server answered
 * nothing (no handshake, no frame) until the blocking send timeout let the waits fail. Tomcat's pool is small
 * here so that a handful of closes fills it, and the send time limit long, so that the stall would outlast the test.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "coedit.security.jwt.secret=" + Tokens.SECRET,
            "server.tomcat.threads.max=4",
            "server.tomcat.threads.min-spare=4",
            "coedit.ws.send-time-limit=60s"
        })
class ClosingSessionsIT {

    private static final int READERS = 40;
    private static final int WRITERS = 5;
    private static final int ROUNDS = 12;

    @LocalServerPort
    int port;

    @Test
    void clientsClosingWhileTheServerWritesToThemLeaveItAnsweringNewClients() throws Exception {
        String doc = "closing-while-written";
        List<WsClient> readers = joinReaders(doc);
        AtomicBoolean writing = new AtomicBoolean(true);
        // one writer keeps an op in flight, so the server is writing to every reader most of the time
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (WsClient client = WsClient.connect(port, doc, Tokens.valid())) {
                long rev = client.await("snapshot").get("rev").asLong();
                for (int i = 0; writing.get() && i < 5_000; i++) {
                    client.send(insertAtEnd(rev, (int) rev, "x", "w:" + i));
                    rev = client.await("ack").get("rev").asLong();
                }
            }
        });
        readers.get(0).await("op");

        readers.forEach(WsClient::sendClose);

        try (WsClient late = WsClient.connect(port, doc, Tokens.valid())) {
            assertThat(late.await(m -> "snapshot".equals(m.path("type").asString()), Duration.ofSeconds(10))
                            .get("rev")
                            .asLong())
                    .isPositive();
        } finally {
            writing.set(false);
        }
        for (WsClient reader : readers) {
            assertThat(reader.awaitClose()).isEqualTo(1000);
        }
        writer.get(30, TimeUnit.SECONDS);
    }

    /**
     * Several writers keep ops queueing to every reader, so the server batches the frames it writes to them (often
     * more than its frame buffer holds); then the readers close at once, round after round. Each must get every
     * frame whole and the server's close frame: a frame cut short, or a close frame left in a batch as the
     * connection closed, and the client fails the connection instead (1006).
     */
    @Test
    void everyClientThatClosesWhileOpsQueueToItGetsWholeFramesAndTheServersCloseFrame() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String doc = "closing-while-batched-" + round;
            List<WsClient> readers = joinReaders(doc);
            AtomicBoolean writing = new AtomicBoolean(true);
            List<CompletableFuture<Void>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                String name = "writer" + w;
                writers.add(CompletableFuture.runAsync(() -> {
                    try (WsClient client =
                            WsClient.connect(port, doc, Tokens.user(name).sign())) {
                        long rev = client.await("snapshot").get("rev").asLong();
                        for (int i = 0; writing.get() && i < 2_000; i++) {
                            // against a revision that may be behind (every op adds one character, so the text at
                            // revision rev is rev long): the server transforms it, and acks it
                            client.send(insertAtEnd(rev, (int) rev, "x", name + ":" + i));
                            rev = client.await("ack").get("rev").asLong();
                        }
                    }
                }));
            }
            for (int i = 0; i < 20; i++) {
                readers.get(0).await("op");
            }

            readers.forEach(WsClient::sendClose);

            try {
                for (WsClient reader : readers) {
                    assertThat(reader.awaitClose()).as("round %d", round).isEqualTo(1000);
                }
            } finally {
                writing.set(false);
            }
            for (CompletableFuture<Void> writer : writers) {
                writer.get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** {@link #READERS} readers on {@code doc}, each past its snapshot. */
    private List<WsClient> joinReaders(String doc) {
        List<WsClient> readers = new ArrayList<>();
        for (int i = 0; i < READERS; i++) {
            WsClient reader =
                    WsClient.connect(port, doc, Tokens.user("reader" + i).sign());
            reader.await("snapshot");
            readers.add(reader);
        }
        return readers;
    }
}
