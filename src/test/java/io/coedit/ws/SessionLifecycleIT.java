package io.coedit.ws;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;

import io.coedit.CoeditApplication;
import io.coedit.support.RawHandshake;
import io.coedit.support.Tokens;
import io.coedit.support.WsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sessions that stop answering or reading are dropped without holding anyone else up; shutdown says 1001. */
class SessionLifecycleIT {

    @Nested
    @EventLoopEndpoint
    @SpringBootTest(
            webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {
                "coedit.security.jwt.secret=" + Tokens.SECRET,
                "coedit.ws.heartbeat-interval=1s",
                "coedit.ws.heartbeat-timeout=3s"
            })
    class Heartbeat {

        @LocalServerPort
        int webServerPort;

        @Autowired
        EventLoopServer eventLoop;

        @ParameterizedTest
        @EnumSource(Endpoint.class)
        void sessionThatNeverAnswersPingsIsClosedAndLeavesPresence(Endpoint endpoint) throws Exception {
            int port = endpoint.port(webServerPort, eventLoop);
            try (WsClient watcher = WsClient.connect(
                            port,
                            "heartbeat-" + endpoint,
                            Tokens.user("watcher").sign());
                    Socket silent = RawHandshake.to(port, "/ws/documents/heartbeat-" + endpoint)
                            .bearer(Tokens.user("silent").sign())
                            .openAndStopReading()) {
                watcher.await("snapshot");
                // the silent session joins either before the watcher's member list is taken or after it
                watcher.await(m -> "join".equals(m.path("type").asString())
                                && "silent".equals(m.path("user").path("id").asString())
                        || "presence".equals(m.path("type").asString())
                                && m.path("members").toString().contains("\"id\":\"silent\""));
                JsonNode left = watcher.await("leave");
                assertThat(left.get("user").get("id").asString()).isEqualTo("silent");
                assertThat(closedByTheServer(silent))
                        .as("the silent session's connection is closed, not left open")
                        .isTrue();
                // the watcher answers pings (the JDK client does), so it stays
                Thread.sleep(3000);
                assertThat(watcher.isClosed()).isFalse();
            }
        }
    }

    /**
     * Reads what the server sent until it closes the connection; false when it is still open 25 s on. The server waits
     * a second for the client to answer its close frame (Tomcat looks every 10 s whether that second has passed).
     */
    static boolean closedByTheServer(Socket socket) throws IOException {
        socket.setSoTimeout(25_000);
        byte[] chunk = new byte[4096];
        try {
            while (socket.getInputStream().read(chunk) >= 0) {
                // the pings and the close frame sent before it
            }
            return true;
        } catch (SocketTimeoutException ex) {
            return false;
        } catch (SocketException ex) {
            return true; // reset
        }
    }

    @Nested
    @EventLoopEndpoint
    @SpringBootTest(
            webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {
                "coedit.security.jwt.secret=" + Tokens.SECRET,
                "coedit.ws.heartbeat-interval=1s",
                "coedit.ws.heartbeat-timeout=2s",
                "coedit.ws.send-time-limit=20s",
                "coedit.ws.send-buffer-limit=64MB",
                "coedit.ws.rate-limit.messages-per-second=10000",
                "coedit.ws.rate-limit.burst=10000"
            })
    class BusyReader {

        @LocalServerPort
        int webServerPort;

        @Autowired
        EventLoopServer eventLoop;

        /**
         * A reader that takes data more slowly than ops come keeps its outbox busy, so the server has no idle moment
         * to ping it; it is alive all the same (and a reader that stopped taking data altogether is a slow consumer,
         * closed by the test below). Under load this closed busy readers with 1001 after the heartbeat timeout.
         */
        @ParameterizedTest
        @EnumSource(Endpoint.class)
        void readerKeptBusyByAStreamOfOpsStaysOpenPastTheHeartbeatTimeout(Endpoint endpoint) throws Exception {
            int port = endpoint.port(webServerPort, eventLoop);
            String big = "b".repeat(20_000);
            AtomicLong bytesRead = new AtomicLong();
            AtomicBoolean ended = new AtomicBoolean();
            AtomicBoolean slowLeft = new AtomicBoolean();
            Predicate<JsonNode> ack = message -> {
                String type = message.path("type").asString();
                if ("leave".equals(type)
                        && "slow".equals(message.path("user").path("id").asString())) {
                    slowLeft.set(true);
                }
                return "ack".equals(type);
            };
            try (WsClient writer = WsClient.connect(
                            port, "busy-" + endpoint, Tokens.user("writer").sign());
                    Socket slow = RawHandshake.to(port, "/ws/documents/busy-" + endpoint)
                            .bearer(Tokens.user("slow").sign())
                            .openAndStopReading()) {
                writer.await("snapshot");
                Thread reader = new Thread(() -> readSlowly(slow, bytesRead, ended));
                reader.setDaemon(true);
                reader.start();
                writer.send(Map.of("type", "op", "rev", 0, "op", List.of(big), "id", "w:0"));
                writer.await("ack");
                // 8 s of 20 KB ops at 50/s (1 MB/s), against a reader taking about 400 KB/s
                long until = System.nanoTime() + 8_000_000_000L;
                for (int i = 1; System.nanoTime() < until; i++) {
                    writer.send(Map.of("type", "op", "rev", i, "op", List.of(-20_000, big), "id", "w:" + i));
                    writer.await(ack);
                    Thread.sleep(20);
                }
                long readSoFar = bytesRead.get();
                Thread.sleep(500);
                assertThat(ended).as("the server closed the busy reader").isFalse();
                assertThat(bytesRead.get())
                        .as("the busy reader is still being sent ops")
                        .isGreaterThan(readSoFar);
                assertThat(slowLeft)
                        .as("the others were told the busy reader left")
                        .isFalse();
            }
        }

        private static void readSlowly(Socket socket, AtomicLong bytesRead, AtomicBoolean ended) {
            byte[] chunk = new byte[4096];
            try {
                socket.setSoTimeout(30_000);
                while (true) {
                    int n = socket.getInputStream().read(chunk);
                    if (n < 0) {
                        ended.set(true);
                        return;
                    }
                    bytesRead.addAndGet(n);
                    Thread.sleep(10);
                }
            } catch (Exception ex) {
                ended.set(true);
            }
        }
    }

    @Nested
    @EventLoopEndpoint
    @SpringBootTest(
            webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {
                "coedit.security.jwt.secret=" + Tokens.SECRET,
                "coedit.ws.send-time-limit=5s",
                "coedit.ws.send-buffer-limit=1MB",
                "coedit.ws.rate-limit.messages-per-second=10000",
                "coedit.ws.rate-limit.burst=10000"
            })
    class SlowConsumer {

        /** 500 ops of 20 KB: far more than the stuck socket's kernel buffers and its 1 MB queue can hold. */
        static final int OPS = 500;

        @LocalServerPort
        int webServerPort;

        @Autowired
        EventLoopServer eventLoop;

        @ParameterizedTest
        @EnumSource(Endpoint.class)
        void readerThatStopsReadingIsDroppedWithoutStallingTheOthers(Endpoint endpoint) throws Exception {
            int port = endpoint.port(webServerPort, eventLoop);
            String big = "y".repeat(20_000);
            try (WsClient writer = WsClient.connect(
                            port, "slow-" + endpoint, Tokens.user("writer").sign());
                    WsClient reader = WsClient.connect(
                            port, "slow-" + endpoint, Tokens.user("reader").sign());
                    Socket stuck = RawHandshake.to(port, "/ws/documents/slow-" + endpoint)
                            .bearer(Tokens.user("stuck").sign())
                            .openAndStopReading()) {
                writer.await("snapshot");
                reader.await("snapshot");
                writer.send(Map.of("type", "op", "rev", 0, "op", List.of(big), "id", "w:0"));
                writer.await("ack");
                for (int i = 1; i <= OPS; i++) {
                    writer.send(Map.of("type", "op", "rev", i, "op", List.of(-20_000, big), "id", "w:" + i));
                    assertThat(writer.await("ack").get("rev").asLong()).isEqualTo(i + 1);
                }
                long lastRev = 0;
                String leftUser = null;
                while (lastRev < OPS + 1 || leftUser == null) {
                    JsonNode message = reader.next();
                    String type = message.get("type").asString();
                    if ("op".equals(type)) {
                        assertThat(message.get("rev").asLong()).isEqualTo(lastRev + 1);
                        lastRev = message.get("rev").asLong();
                    } else if ("leave".equals(type)) {
                        leftUser = message.get("user").get("id").asString();
                    }
                }
                assertThat(leftUser).isEqualTo("stuck");
                assertThat(closedByTheServer(stuck))
                        .as("the stuck reader's connection is closed once the send time limit passed")
                        .isTrue();
            }
        }
    }

    @Test
    void shutdownClosesSessionsWithGoingAwayOnBothEndpointsAndStopsListening() {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(CoeditApplication.class)
                .run(
                        "--server.port=0",
                        "--coedit.security.jwt.secret=" + Tokens.SECRET,
                        "--coedit.ws.event-loop.enabled=true",
                        "--coedit.ws.event-loop.port=0",
                        "--coedit.ws.event-loop.address=127.0.0.1");
        int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
        int eventLoopPort = context.getBean(EventLoopServer.class).port();
        try (WsClient web = WsClient.connect(port, "shutdown", Tokens.valid());
                WsClient loop = WsClient.connect(eventLoopPort, "shutdown", Tokens.valid())) {
            web.await("snapshot");
            loop.await("snapshot");
            context.close();
            assertThat(web.awaitClose()).isEqualTo(1001);
            assertThat(loop.awaitClose()).isEqualTo(1001);
        }
        assertThatThrownBy(() -> new Socket("127.0.0.1", eventLoopPort).close())
                .as("the event loop's port is closed")
                .isInstanceOf(ConnectException.class);
    }
}
