package io.coedit.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.coedit.CoeditIntegrationTest;
import io.coedit.support.RawHandshake;
import io.coedit.support.RestClient;
import io.coedit.support.Tokens;
import io.coedit.support.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Server events on one instance without Redis: straight to the local sessions; and the OpenAPI description. */
class LocalEventsIT extends CoeditIntegrationTest {

    private static final String PUBLISHER =
            Tokens.user("backend").scope("events:publish").sign();

    private RestClient.Response push(String path, String body, String... headers) {
        return RestClient.call("POST", port, path, PUBLISHER, body, headers);
    }

    @Test
    void pushesReachTheirTargetsSessionsAndAnIdempotencyKeyDeliversOnce() {
        try (WsClient ada = WsClient.connect(
                        port, "local-events-1", Tokens.user("ada").sign());
                WsClient bob = WsClient.connect(
                        port, "local-events-2", Tokens.user("bob").sign())) {
            ada.await("snapshot");
            bob.await("snapshot");
            assertThat(push("/api/documents/local-events-1/events", "{\"name\":\"doc\"}")
                            .status())
                    .isEqualTo(202);
            assertThat(push("/api/users/bob/events", "{\"name\":\"user\",\"data\":[1,\"two\"]}")
                            .status())
                    .isEqualTo(202);
            RestClient.Response first = push("/api/events", "{\"name\":\"all\"}", "Idempotency-Key", "k-1");
            RestClient.Response retry = push("/api/events", "{\"name\":\"all\"}", "Idempotency-Key", "k-1");
            assertThat(retry.json().get("id").asString())
                    .isEqualTo(first.json().get("id").asString());
            assertThat(push("/api/events", "{\"name\":\"end\"}").status()).isEqualTo(202);

            assertThat(names(ada)).containsExactly("doc", "all", "end");
            JsonNode user = bob.await("event");
            assertThat(user.get("data").toString()).isEqualTo("[1,\"two\"]");
            assertThat(names(bob)).containsExactly("all", "end");
        }
    }

    private static List<String> names(WsClient client) {
        List<String> names = new ArrayList<>();
        String name;
        do {
            name = client.await("event").get("name").asString();
            names.add(name);
        } while (!name.equals("end"));
        return names;
    }

    @Test
    void aRevokedUserIsClosedWith4403AndItsOldTokenRefusedWhileMembersListTheOthers() throws Exception {
        String old = Tokens.user("local-mallory")
                .issuedAt(Instant.now().minusSeconds(5))
                .sign();
        try (WsClient mallory = WsClient.connect(port, "local-revoke", old);
                WsClient ada = WsClient.connect(
                        port, "local-revoke", Tokens.user("local-ada").sign())) {
            mallory.await("snapshot");
            ada.await("snapshot");
            JsonNode before = RestClient.call("GET", port, "/api/documents/local-revoke/members", Tokens.valid(), null)
                    .json();
            assertThat(before.get("members"))
                    .extracting(member -> member.get("userId").asString())
                    .containsExactlyInAnyOrder("local-mallory", "local-ada");

            RestClient.Response revoked = RestClient.call(
                    "DELETE",
                    port,
                    "/api/users/local-mallory/sessions",
                    Tokens.user("admin").scope("sessions:admin").sign(),
                    null);
            assertThat(revoked.status()).isEqualTo(202);
            assertThat(Instant.parse(revoked.json().get("revokedBefore").asString()))
                    .isAfter(Instant.now().minusSeconds(5));

            assertThat(mallory.awaitClose()).isEqualTo(4403);
            assertThat(RawHandshake.to(port, "/ws/documents/local-revoke")
                            .bearer(old)
                            .status())
                    .isEqualTo(401);
            assertThat(ada.isClosed()).isFalse();
        }
    }

    @Test
    void anInBandRefreshWithATokenIssuedBeforeTheRevocationClosesTheSessionWith4401() {
        String old =
                Tokens.user("local-eve").issuedAt(Instant.now().minusSeconds(5)).sign();
        assertThat(RestClient.call(
                                "DELETE",
                                port,
                                "/api/users/local-eve/sessions",
                                Tokens.user("admin").scope("sessions:admin").sign(),
                                null)
                        .status())
                .isEqualTo(202);
        String fresh =
                Tokens.user("local-eve").issuedAt(Instant.now().plusSeconds(2)).sign();
        try (WsClient eve = WsClient.connect(port, "local-refresh", fresh)) {
            eve.await("snapshot");
            eve.send(Map.of("type", "auth", "token", old));
            assertThat(eve.awaitClose()).isEqualTo(4401);
        }
    }

    @Test
    void theOpenApiDescriptionListsEveryRestEndpointWithoutAToken() {
        RestClient.Response docs = RestClient.call("GET", port, "/v3/api-docs", null, null);
        assertThat(docs.status()).isEqualTo(200);
        JsonNode paths = docs.json().get("paths");
        assertThat(paths.propertyNames())
                .contains(
                        "/api/events",
                        "/api/documents/{id}/events",
                        "/api/users/{userId}/events",
                        "/api/users/{userId}/sessions",
                        "/api/documents/{id}/members",
                        "/api/documents/{id}",
                        "/api/documents/{id}/ops",
                        "/api/auth/dev-token");
        assertThat(paths.get("/api/events").get("post").get("requestBody").toString())
                .contains("EventRequest");
        assertThat(docs.json().get("info").get("title").asString()).isEqualTo("Coedit");
        assertThat(docs.json()
                        .get("components")
                        .get("securitySchemes")
                        .get("bearer")
                        .get("scheme")
                        .asString())
                .isEqualTo("bearer");
    }
}
