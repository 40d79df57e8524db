package io.coedit.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.coedit.support.RestClient;
import io.coedit.support.Tokens;
import io.coedit.support.WsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The load generator's session when its reading lags so far behind that the server refuses its op with
 * {@code resync_required}, as it does on a loaded box: the op goes again from the newer revision, once, and the
 * run stays correct instead of failing on a refusal the protocol tells clients how to answer.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"coedit.security.jwt.secret=" + Tokens.SECRET, "coedit.documents.retained-ops=3"})
class BenchClientResyncIT {

    @LocalServerPort
    int port;

    @Test
    void anOpRefusedForAnOldBaseIsSentAgainFromTheNewerRevisionAndAppliedOnce() throws Exception {
        String doc = "lagging-writer";
        List<String> acked = new CopyOnWriteArrayList<>();
        BenchClient.Events events = new BenchClient.Events() {
            @Override
            public void acked(BenchClient client, String opId, long nanos) {
                acked.add(opId);
            }

            @Override
            public void remoteOp(BenchClient client, String opId, long nanos) {}
        };
        try (GeneratorSockets sockets = new GeneratorSockets(1);
                WsClient other =
                        WsClient.connect(port, doc, Tokens.user("other").sign())) {
            other.await("snapshot");
            BenchClient lagging = new BenchClient("lag", events);
            lagging.open(
                            sockets,
                            "ws://localhost:" + port,
                            doc,
                            Tokens.user("lag").sign())
                    .get(10, TimeUnit.SECONDS);
            // hold the session's only thread, as an overloaded generator does, while the document moves on by
            // more than the 3 ops it retains
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            sockets.execute(() -> {
                held.countDown();
                awaitQuietly(release);
            });
            assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 1; i <= 5; i++) {
                other.send(Map.of(
                        "type",
                        "op",
                        "rev",
                        i - 1,
                        "op",
                        i == 1 ? List.of("o") : List.of(i - 1, "o"),
                        "id",
                        "other:" + i));
                assertThat(other.await("ack").get("rev").asLong()).isEqualTo(i);
            }
            // written on revision 0, the only one this session has read; it leaves once the thread is free
            String id = lagging.send(0, "L", opId -> {});
            release.countDown();

            await().atMost(WsClient.TIMEOUT).until(() -> acked.contains(id));
            assertThat(acked).containsExactly(id);
            assertThat(lagging.resent()).isEqualTo(1);
            assertThat(lagging.protocolError()).isNull();
            assertThat(other.await("op").get("rev").asLong()).isEqualTo(6);
            String server = RestClient.document(port, doc).get("content").asString();
            assertThat(server).isEqualTo("Looooo");
            assertThat(lagging.text()).isEqualTo(server);
            assertThat(lagging.rev()).isEqualTo(6);
            lagging.close();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
