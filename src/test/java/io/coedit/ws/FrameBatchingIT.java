package io.coedit.ws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.coedit.CoeditIntegrationTest;
import io.coedit.support.Tokens;
import io.coedit.support.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Messages that queue up behind a write leave together in one batch; what a client sees is unchanged: every message
 * whole and in order, and its pings answered at once, busy or quiet.
 */
class FrameBatchingIT extends CoeditIntegrationTest {

    @Test
    void aClientsPingIsAnsweredAtOnceOnAQuietSession() throws Exception {
        try (WsClient quiet =
                WsClient.connect(port, "batch-ping", Tokens.user("quiet").sign())) {
            quiet.await("presence");
            // the server pings every 25 s; a pong left in a batch would wait for that
            for (int i = 0; i < 3; i++) {
                assertThat(quiet.pingAnswered(Duration.ofSeconds(5))).isTrue();
            }
        }
    }

    @Test
    void aBurstOfJoinsReachesAWatcherWholeAndInOrder() throws Exception {
        List<WsClient> joiners = new ArrayList<>();
        try (WsClient watcher =
                WsClient.connect(port, "batch-joins", Tokens.user("watcher").sign())) {
            watcher.await("presence");
            for (int i = 0; i < 60; i++) {
                joiners.add(WsClient.connect(
                        port, "batch-joins", Tokens.user("joiner-" + i).sign()));
            }
            List<String> joined = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                joined.add(watcher.await("join").get("user").get("id").asString());
            }
            assertThat(joined).doesNotHaveDuplicates().hasSize(60);
            assertThat(watcher.pingAnswered(Duration.ofSeconds(5))).isTrue();
        } finally {
            joiners.forEach(WsClient::close);
        }
    }

    @Test
    void opsQueuedBehindAWriteArriveInRevisionOrderAndThePingAfterThemToo() throws Exception {
        try (WsClient writer = WsClient.connect(
                        port, "batch-ops", Tokens.user("writer").sign());
                WsClient reader = WsClient.connect(
                        port, "batch-ops", Tokens.user("reader").sign())) {
            writer.await("presence");
            reader.await("presence");
            int ops = 300;
            for (int i = 0; i < ops; i++) {
                // each op written against the revision it follows, as a client that waits for its ack would
                writer.send(
                        Map.of("type", "op", "rev", i, "op", i == 0 ? List.of("x") : List.of(i, "x"), "id", "w:" + i));
                writer.await("ack");
            }
            for (int rev = 1; rev <= ops; rev++) {
                JsonNode op = reader.await("op");
                assertThat(op.get("rev").asLong()).isEqualTo(rev);
            }
            assertThat(reader.pingAnswered(Duration.ofSeconds(5))).isTrue();
        }
    }

    /**
     * Submits that queue up on one document are committed in one turn and answered together: each writer still sees
     * every revision once, in order, its own as an ack.
     */
    @Test
    void opsFromManyWritersAtOnceReachEverySessionOnceAndInRevisionOrder() throws Exception {
        int writers = 30;
        List<WsClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < writers; i++) {
                clients.add(WsClient.connect(
                        port, "batch-turns", Tokens.user("writer-" + i).sign()));
                clients.get(i).await("presence");
            }
            for (int i = 0; i < writers; i++) {
                // all written against revision 0, sent together: they queue behind each other's commits
                clients.get(i).send(Map.of("type", "op", "rev", 0, "op", List.of("w" + i + ";"), "id", "w" + i + ":1"));
            }
            for (int i = 0; i < writers; i++) {
                List<Long> revisions = new ArrayList<>();
                long ackedRev = -1;
                while (revisions.size() < writers) {
                    JsonNode message = clients.get(i)
                            .await(m -> m.path("type").asString().equals("op")
                                    || m.path("type").asString().equals("ack"));
                    revisions.add(message.get("rev").asLong());
                    if (message.path("type").asString().equals("ack")) {
                        ackedRev = message.get("rev").asLong();
                    }
                }
                assertThat(revisions).as("writer %d", i).isSorted().doesNotHaveDuplicates();
                assertThat(revisions.get(0)).isEqualTo(1);
                assertThat(revisions.get(writers - 1)).isEqualTo(writers);
                assertThat(ackedRev).as("writer %d's ack", i).isPositive();
            }
        } finally {
            clients.forEach(WsClient::close);
        }
    }
}
