package io.coedit.ws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import io.coedit.document.AppendOutcome;
import io.coedit.document.CommittedOp;
import io.coedit.document.DocumentId;
import io.coedit.document.DocumentStore;
import io.coedit.document.InMemoryDocumentStore;
import io.coedit.document.LogLimits;
import io.coedit.support.ForwardingDocumentStore;
import io.coedit.support.RestClient;
import io.coedit.support.Tokens;
import io.coedit.support.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One document whose store calls hang (a slow Redis, say) and whose sessions flood it with ops must not stall the
 * others: with only a few request threads, other documents still commit, handshakes and health still answer.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "coedit.security.jwt.secret=" + Tokens.SECRET,
            "server.tomcat.threads.max=4",
            "server.tomcat.threads.min-spare=1",
            "coedit.ws.rate-limit.messages-per-second=10000",
            "coedit.ws.rate-limit.burst=10000"
        })
class FloodedDocumentIT {

    static final DocumentId STUCK = new DocumentId("stuck");

    /** The in-memory store, except that appends to {@link #STUCK} wait until released. */
    @TestConfiguration
    static class HangingStore {
        static final CountDownLatch RELEASE = new CountDownLatch(1);

        @Bean
        @Primary
        DocumentStore hangingStore() {
            InMemoryDocumentStore store = new InMemoryDocumentStore(LogLimits.ofOps(1000));
            return new ForwardingDocumentStore(store) {
                @Override
                public AppendOutcome appendAll(
                        DocumentId id, String epoch, long expectedHeadRev, List<CommittedOp> ops, String newContent) {
                    if (id.equals(STUCK)) {
                        try {
                            RELEASE.await(60, TimeUnit.SECONDS);
                        } catch (InterruptedException ex) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return delegate.appendAll(id, epoch, expectedHeadRev, ops, newContent);
                }
            };
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    DocumentStore store;

    @Test
    void aFloodedDocumentWithHangingStoreCallsDoesNotStallTheOthers() {
        List<WsClient> flooders = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                WsClient flooder = WsClient.connect(
                        port, STUCK.value(), Tokens.user("flooder" + i).sign());
                flooder.await("snapshot");
                flooders.add(flooder);
            }
            // far more ops than there are request threads, each of which would wait on the hanging store
            for (int n = 0; n < 25; n++) {
                for (int i = 0; i < flooders.size(); i++) {
                    flooders.get(i).send(Map.of("type", "op", "rev", 0, "op", List.of("f"), "id", "f" + i + ":" + n));
                }
            }
            try (WsClient other =
                    WsClient.connect(port, "free", Tokens.user("bystander").sign())) {
                other.await("snapshot");
                other.send(Map.of("type", "op", "rev", 0, "op", List.of("still editing"), "id", "b:1"));
                assertThat(other.await("ack").get("rev").asLong()).isEqualTo(1);
            }
            assertThat(RestClient.status(port, "/actuator/health/liveness")).isEqualTo(200);
            assertThat(RestClient.document(port, "free").get("content").asString())
                    .isEqualTo("still editing");

            HangingStore.RELEASE.countDown();
            // once the store answers, the flooded document's queued ops are all answered too
            for (WsClient flooder : flooders) {
                assertThat(flooder.await(m -> "ack".equals(m.path("type").asString())
                                        || "error".equals(m.path("type").asString()))
                                .path("type")
                                .asString())
                        .isNotBlank();
            }
        } finally {
            HangingStore.RELEASE.countDown();
            flooders.forEach(WsClient::close);
        }
    }
}
