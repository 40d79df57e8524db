package io.coedit.ws;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.coedit.support.Tokens;
import io.coedit.support.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "coedit.security.jwt.secret=" + Tokens.SECRET,
            "coedit.ws.rate-limit.messages-per-second=5",
            "coedit.ws.rate-limit.burst=10",
            "coedit.ws.rate-limit.close-after=20"
        })
class RateLimitIT {

    @LocalServerPort
    int port;

    @Test
    void floodGetsRateLimitedThenClosedWith4429() {
        try (WsClient flooder = WsClient.connect(port, "flood", Tokens.valid());
                WsClient bystander =
                        WsClient.connect(port, "flood", Tokens.user("bob").sign())) {
            flooder.await("snapshot");
            bystander.await("snapshot");
            for (int i = 0; i < 200 && !flooder.isClosed(); i++) {
                try {
                    flooder.send(Map.of("type", "cursor", "pos", 0));
                } catch (RuntimeException closedMeanwhile) {
                    break;
                }
            }
            assertThat(flooder.await("error").get("code").asString()).isEqualTo("rate_limited");
            assertThat(flooder.awaitClose()).isEqualTo(4429);
            assertThat(bystander.isClosed()).isFalse();
        }
    }
}
