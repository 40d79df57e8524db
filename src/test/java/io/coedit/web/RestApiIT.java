package io.coedit.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.coedit.CoeditIntegrationTest;
import io.coedit.support.Tokens;
import io.coedit.support.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

class RestApiIT extends CoeditIntegrationTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        return WsClient.JSON.readTree(response.body());
    }

    private void write(String doc, String... inserts) {
        try (WsClient client = WsClient.connect(port, doc, Tokens.valid())) {
            long rev = client.await("snapshot").get("rev").asLong();
            int length = 0;
            for (String insert : inserts) {
                client.send(Map.of(
                        "type",
                        "op",
                        "rev",
                        rev,
                        "op",
                        length == 0 ? List.of(insert) : List.of(length, insert),
                        "id",
                        "rest:" + (rev + 1)));
                rev = client.await("ack").get("rev").asLong();
                length += insert.length();
            }
        }
    }

    @Test
    void returnsTheDocumentContentAndRevision() throws Exception {
        write("rest-doc", "hello", " world");
        HttpResponse<String> response = get("/api/documents/rest-doc", Tokens.valid());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("id").asString()).isEqualTo("rest-doc");
        assertThat(body.get("rev").asLong()).isEqualTo(2);
        assertThat(body.get("content").asString()).isEqualTo("hello world");
        assertThat(body.get("epoch").asString()).isNotBlank();
    }

    @Test
    void returnsTheRetainedOpsAfterARevision() throws Exception {
        write("rest-ops", "a", "b", "c");
        JsonNode body = json(get("/api/documents/rest-ops/ops?since=1", Tokens.valid()));
        assertThat(body.get("ops")).hasSize(2);
        assertThat(body.get("ops").get(0).get("rev").asLong()).isEqualTo(2);
        assertThat(body.get("ops").get(0).get("op").toString()).isEqualTo("[1,\"b\"]");
        assertThat(body.get("ops").get(1).get("user").get("id").asString()).isEqualTo("alice");
        assertThat(body.get("rev").asLong()).isEqualTo(3);
    }

    @Test
    void rejectsRequestsWithoutAValidTokenAsProblemJson() throws Exception {
        HttpResponse<String> missing = get("/api/documents/rest-doc", null);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(missing.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
        JsonNode problem = json(missing);
        assertThat(problem.get("status").asInt()).isEqualTo(401);
        assertThat(problem.get("code").asString()).isEqualTo("unauthorized");
        assertThat(problem.get("title").asString()).isEqualTo("Unauthorized");
        assertThat(problem.get("instance").asString()).isEqualTo("/api/documents/rest-doc");
        assertThat(problem.has("properties"))
                .as("code at the top level, as in every other problem")
                .isFalse();
        assertThat(get("/api/documents/rest-doc", Tokens.user("x").unsigned()).statusCode())
                .isEqualTo(401);
    }

    @Test
    void aTokenWithoutTheScopeIsRefusedWithTheSameProblemShapeAsEveryOtherError() throws Exception {
        HttpResponse<String> response = get("/actuator/metrics", Tokens.valid());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json(response);
        assertThat(problem.get("code").asString()).isEqualTo("forbidden");
        assertThat(problem.get("status").asInt()).isEqualTo(403);
        assertThat(problem.get("instance").asString()).isEqualTo("/actuator/metrics");
    }

    @Test
    void refusesDocumentsTheTokenDoesNotCover() throws Exception {
        HttpResponse<String> response =
                get("/api/documents/secret", Tokens.user("bob").docs("other").sign());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(json(response).get("code").asString()).isEqualTo("forbidden");
    }

    @Test
    void rejectsInvalidDocumentIds() throws Exception {
        HttpResponse<String> response = get("/api/documents/" + "x".repeat(200), Tokens.valid());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("code").asString()).isEqualTo("invalid_document_id");
    }

    @Test
    void aDocumentNobodyEditedIsNotFoundAndReadingItCreatesNothing() throws Exception {
        for (int attempt = 0; attempt < 2; attempt++) {
            HttpResponse<String> response = get("/api/documents/never-edited", Tokens.valid());
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(json(response).get("code").asString()).isEqualTo("not_found");
        }
        assertThat(get("/api/documents/never-edited/ops?since=0", Tokens.valid())
                        .statusCode())
                .isEqualTo(404);
        // joining it gives an empty snapshot at revision 0, and still nothing exists
        try (WsClient client = WsClient.connect(port, "never-edited", Tokens.valid())) {
            JsonNode snapshot = client.await("snapshot");
            assertThat(snapshot.get("rev").asLong()).isZero();
            assertThat(snapshot.get("content").asString()).isEmpty();
        }
        assertThat(get("/api/documents/never-edited", Tokens.valid()).statusCode())
                .isEqualTo(404);
    }

    @Test
    void pagesThroughTheOpLogWithABoundedPageSize() throws Exception {
        write("rest-pages", "a", "b", "c", "d", "e");
        List<Long> revs = new ArrayList<>();
        long since = 0;
        for (int page = 0; page < 10; page++) {
            JsonNode body = json(get("/api/documents/rest-pages/ops?since=" + since + "&limit=2", Tokens.valid()));
            assertThat(body.get("ops").size()).isLessThanOrEqualTo(2);
            assertThat(body.get("head").asLong()).isEqualTo(5);
            body.get("ops").forEach(op -> revs.add(op.get("rev").asLong()));
            if (body.get("next").isNull()) {
                break;
            }
            since = body.get("next").asLong();
        }
        assertThat(revs).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(get("/api/documents/rest-pages/ops?since=0&limit=5000", Tokens.valid())
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void rejectsARevisionInTheFuture() throws Exception {
        write("rest-future", "x");
        HttpResponse<String> response = get("/api/documents/rest-future/ops?since=9", Tokens.valid());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("code").asString()).isEqualTo("stale_revision");
    }

    @Test
    void issuesDevTokensThatOpenDocuments() throws Exception {
        HttpResponse<String> response = post("/api/auth/dev-token", "{\"name\":\"Dana\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        String token = json(response).get("token").asString();
        try (WsClient client = WsClient.connectWithSubprotocol(port, "dev-doc", token)) {
            JsonNode snapshot = client.await("snapshot");
            assertThat(snapshot.get("user").get("name").asString()).isEqualTo("Dana");
            assertThat(snapshot.get("canEdit").asBoolean()).isTrue();
        }
    }

    @Test
    void renewsADevTokenForTheSameUser() throws Exception {
        JsonNode first = json(post("/api/auth/dev-token", "{\"name\":\"Dana\"}"));
        HttpResponse<String> renewed = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/auth/dev-token"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + first.get("token").asString())
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Dana\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(json(renewed).get("userId").asString())
                .isEqualTo(first.get("userId").asString());
        JsonNode stranger = json(post("/api/auth/dev-token", "{\"name\":\"Dana\"}"));
        assertThat(stranger.get("userId").asString())
                .isNotEqualTo(first.get("userId").asString());
    }

    private HttpResponse<String> renew(String token) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/auth/dev-token"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Dana\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode claimsOf(String jwt) {
        return WsClient.JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    @Test
    void renewingADevTokenKeepsItsScopesAndDocuments() throws Exception {
        String readOnly = Tokens.user("dev-reader")
                .scope("doc:read")
                .docs("one-doc")
                .claim("coedit_dev", Instant.now().getEpochSecond())
                .sign();
        HttpResponse<String> renewed = renew(readOnly);
        assertThat(renewed.statusCode()).isEqualTo(200);
        JsonNode claims = claimsOf(json(renewed).get("token").asString());
        assertThat(claims.get("sub").asString()).isEqualTo("dev-reader");
        assertThat(claims.get("scope").asString()).isEqualTo("doc:read");
        assertThat(claims.get("docs").toString()).isEqualTo("[\"one-doc\"]");
    }

    @Test
    void onlyTokensIssuedAsDevTokensAreRenewed() throws Exception {
        // a token of the identity provider whose subject happens to start with dev-: not ours to renew or widen
        HttpResponse<String> response = renew(
                Tokens.user("dev-someone").scope("doc:read").docs("one-doc").sign());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("userId").asString()).isNotEqualTo("dev-someone");
    }

    @Test
    void aDevIdentityCannotBeRenewedPastItsMaximumLifetime() throws Exception {
        long thirteenHoursAgo = Instant.now().minus(Duration.ofHours(13)).getEpochSecond();
        String old =
                Tokens.user("dev-old").claim("coedit_dev", thirteenHoursAgo).sign();
        assertThat(renew(old).statusCode()).isEqualTo(403);
        long elevenHoursAgo = Instant.now().minus(Duration.ofHours(11)).getEpochSecond();
        JsonNode renewed = json(renew(
                Tokens.user("dev-young").claim("coedit_dev", elevenHoursAgo).sign()));
        // the renewal ends with the identity's lifetime, not an hour later
        JsonNode claims = claimsOf(renewed.get("token").asString());
        assertThat(claims.get("exp").asLong()).isLessThanOrEqualTo(elevenHoursAgo + 12 * 3600);
    }

    @Test
    void anEditingTokenCannotReadMetricsOrInfo() throws Exception {
        assertThat(get("/actuator/metrics", Tokens.valid()).statusCode()).isEqualTo(403);
        assertThat(get("/actuator/info", Tokens.valid()).statusCode()).isEqualTo(403);
        assertThat(get("/actuator/metrics", null).statusCode()).isEqualTo(401);
        assertThat(get(
                                "/actuator/metrics",
                                Tokens.user("ops").scope("metrics:read").sign())
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void aRejectedTokenIsNotToldWhyItFailed() throws Exception {
        for (String bad : List.of(
                Tokens.user("x").expiresIn(Duration.ofHours(-2)).sign(),
                Tokens.user("x").issuer("evil").sign(),
                Tokens.user("x")
                        .signedWith("another-secret-of-at-least-32-bytes!!")
                        .sign(),
                "not-a-jwt")) {
            HttpResponse<String> response = get("/api/documents/rest-doc", bad);
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly("Bearer");
            assertThat(response.body())
                    .doesNotContain("expired")
                    .doesNotContain("iss")
                    .doesNotContain("signature");
        }
    }

    @Test
    void rejectsDevTokenRequestsWithoutAName() throws Exception {
        assertThat(post("/api/auth/dev-token", "{\"name\":\"\"}").statusCode()).isEqualTo(400);
        assertThat(post("/api/auth/dev-token", "{nope").statusCode()).isEqualTo(400);
    }

    @Test
    void servesTheEditorWithAContentSecurityPolicy() throws Exception {
        HttpResponse<String> page = get("/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(
                        csp -> assertThat(csp).contains("script-src 'self'").doesNotContain("unsafe-inline"));
    }

    @Test
    void reportsHealthWithoutAToken() throws Exception {
        assertThat(get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
    }
}
