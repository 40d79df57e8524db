package io.coedit.ws;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.coedit.support.Tokens;
import io.coedit.support.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/** An operator who accepts the leak into access logs can still turn the {@code access_token} parameter on. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"coedit.security.jwt.secret=" + Tokens.SECRET, "coedit.security.allow-query-token=true"})
class QueryTokenIT {

    @LocalServerPort
    int port;

    @Test
    void opensSessionWithQueryTokenWhenAllowed() {
        try (WsClient client = WsClient.connectWithQueryToken(port, "query-doc", Tokens.valid())) {
            assertThat(client.await("snapshot").get("rev").asLong()).isZero();
        }
    }
}
