package io.coedit.events;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.coedit.support.ClusterInstances;
import io.coedit.support.RawHandshake;
import io.coedit.support.RestClient;
import io.coedit.support.Tokens;
import io.coedit.support.WsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Server events, members and revocation on two whole instances sharing one real Redis. */
class ServerEventsIT {

    private static final String PUBLISHER =
            Tokens.user("backend").scope("events:publish").sign();
    private static final String ADMIN =
            Tokens.user("admin").scope("sessions:admin").sign();

    private static ClusterInstances instances;

    @BeforeAll
    static void startCluster() {
        instances = ClusterInstances.withOwnRedis(2);
    }

    @AfterAll
    static void stopCluster() {
        if (instances != null) {
            instances.close();
        }
    }

    private static int port(int instance) {
        return instances.port(instance);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static WsClient open(int instance, String doc, String user) {
        WsClient client =
                WsClient.connect(port(instance), doc, Tokens.user(user).sign());
        client.await("snapshot");
        return client;
    }

    private static RestClient.Response push(int instance, String path, String body, String... headers) {
        return RestClient.call("POST", port(instance), path, PUBLISHER, body, headers);
    }

    private static String pushed(int instance, String path, String name) {
        RestClient.Response response = push(instance, path, "{\"name\":\"" + name + "\",\"data\":{\"n\":1}}");
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        return response.json().get("id").asString();
    }

    /** The names of the events a client receives up to and including the {@code last} one. */
    private static List<String> eventsUpTo(WsClient client, String last) {
        List<String> names = new ArrayList<>();
        while (true) {
            String name = client.await("event").get("name").asString();
            names.add(name);
            if (name.equals(last)) {
                return names;
            }
        }
    }

    @Test
    void eachTargetReachesExactlyItsSessionsOnBothInstances() {
        String docA = unique("events-a");
        String docB = unique("events-b");
        String alice = unique("alice");
        String bob = unique("bob");
        String carol = unique("carol");
        try (WsClient aliceOnA = open(0, docA, alice);
                WsClient aliceOnB = open(1, docB, alice);
                WsClient bobOnA = open(1, docA, bob);
                WsClient carolOnB = open(0, docB, carol)) {
            String docEvent = pushed(0, "/api/documents/" + docA + "/events", "doc.approved");
            pushed(1, "/api/users/" + alice + "/events", "user.notice");
            pushed(0, "/api/events", "maintenance");
            pushed(1, "/api/events", "end");

            assertThat(eventsUpTo(aliceOnA, "end"))
                    .containsExactly("doc.approved", "user.notice", "maintenance", "end");
            assertThat(eventsUpTo(aliceOnB, "end")).containsExactly("user.notice", "maintenance", "end");
            assertThat(eventsUpTo(bobOnA, "end")).containsExactly("doc.approved", "maintenance", "end");
            assertThat(eventsUpTo(carolOnB, "end")).containsExactly("maintenance", "end");

            String nextDocEvent = pushed(1, "/api/documents/" + docA + "/events", "doc.again");
            JsonNode frame = bobOnA.await("event");
            assertThat(frame.get("id").asString()).isEqualTo(nextDocEvent).isNotEqualTo(docEvent);
            assertThat(frame.get("name").asString()).isEqualTo("doc.again");
            assertThat(frame.get("data").get("n").asInt()).isEqualTo(1);
            assertThat(Instant.parse(frame.get("time").asString()))
                    .isBefore(Instant.now().plusSeconds(1));
        }
    }

    @Test
    void anInstanceListensToAUsersChannelOnlyWhileTheUserHasASessionThereAndAgainWhenTheyReturn() {
        String carol = unique("carol");
        String channel = "coedit:user:{" + carol + "}:events";
        try (WsClient first = open(0, unique("events-first"), carol)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> instances.redis().subscribers(channel) == 1);
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> instances.redis().subscribers(channel) == 0);
        try (WsClient again = open(0, unique("events-again"), carol);
                WsClient other = open(0, unique("events-other"), unique("dave"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> instances.redis().subscribers(channel) == 1);
            pushed(1, "/api/users/" + carol + "/events", "user.back");
            pushed(1, "/api/events", "end");
            assertThat(eventsUpTo(again, "end")).containsExactly("user.back", "end");
            assertThat(eventsUpTo(other, "end")).containsExactly("end");
        }
    }

    @Test
    void aRetriedPushWithTheSameIdempotencyKeyIsDeliveredOnceAcrossInstances() {
        String doc = unique("events-idem");
        String key = unique("key");
        try (WsClient reader = open(0, doc, unique("reader"))) {
            String path = "/api/documents/" + doc + "/events";
            String body = "{\"name\":\"build.finished\",\"data\":{\"build\":42}}";
            RestClient.Response first = push(0, path, body, "Idempotency-Key", key);
            RestClient.Response retry = push(1, path, body, "Idempotency-Key", key);
            assertThat(first.status()).isEqualTo(202);
            assertThat(retry.status()).isEqualTo(202);
            assertThat(retry.json().get("id").asString())
                    .isEqualTo(first.json().get("id").asString());
            assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
            assertThat(first.header("Idempotent-Replayed")).isNull();

            RestClient.Response otherBody = push(1, path, "{\"name\":\"build.failed\"}", "Idempotency-Key", key);
            assertThat(otherBody.status()).isEqualTo(422);
            assertThat(otherBody.json().get("code").asString()).isEqualTo("idempotency_key_reused");

            RestClient.Response everyone = push(1, "/api/events", body, "Idempotency-Key", key);
            assertThat(everyone.status())
                    .as("the same key for another target is another push")
                    .isEqualTo(202);
            assertThat(everyone.json().get("id").asString())
                    .isNotEqualTo(first.json().get("id").asString());
            pushed(0, path, "end");

            assertThat(eventsUpTo(reader, "end")).containsExactly("build.finished", "build.finished", "end");
        }
    }

    @Test
    void pushesWithoutAValidTokenOrTheScopeOrWithBadBodiesAreRefusedWithProblems() {
        String path = "/api/events";
        String good = "{\"name\":\"x\",\"data\":null}";
        assertThat(RestClient.call("POST", port(0), path, null, good).status()).isEqualTo(401);
        String forged = Tokens.user("x")
                .signedWith("another-secret-of-32-bytes-or-more!!")
                .scope("events:publish")
                .sign();
        assertThat(RestClient.call("POST", port(0), path, forged, good).status())
                .isEqualTo(401);
        RestClient.Response noScope = RestClient.call("POST", port(0), path, Tokens.valid(), good);
        assertThat(noScope.status()).isEqualTo(403);
        assertThat(noScope.header("Content-Type")).startsWith("application/problem+json");

        assertProblem(push(0, path, "{\"name\":"), 400, "invalid_json");
        assertProblem(push(0, path, "[1,2]"), 400, "invalid_json");
        assertProblem(push(0, path, "{\"data\":1}"), 400, "invalid_name");
        assertProblem(push(0, path, "{\"name\":\"\"}"), 400, "invalid_name");
        assertProblem(push(0, path, "{\"name\":\"has space\"}"), 400, "invalid_name");
        assertProblem(push(0, path, "{\"name\":\"" + "n".repeat(65) + "\"}"), 400, "invalid_name");
        assertThat(push(0, path, "{\"name\":\"" + "n".repeat(64) + "\"}").status())
                .isEqualTo(202);
        String bigData = "\"" + "d".repeat(64 * 1024) + "\"";
        assertProblem(push(0, path, "{\"name\":\"big\",\"data\":" + bigData + "}"), 413, "payload_too_large");
        String bigBody = "{\"name\":\"big\",\"data\":\"x\"" + " ".repeat(300 * 1024) + "}";
        assertProblem(push(0, path, bigBody), 413, "payload_too_large");
        assertProblem(push(0, path, good, "Idempotency-Key", "has space"), 400, "invalid_idempotency_key");
        assertProblem(push(0, "/api/documents/bad%20id/events", good), 400, "invalid_document_id");

        assertThat(RestClient.call("DELETE", port(0), "/api/users/someone/sessions", PUBLISHER, null)
                        .status())
                .isEqualTo(403);
        assertThat(RestClient.call(
                                "GET",
                                port(0),
                                "/api/documents/secret/members",
                                Tokens.user("x").docs("other").sign(),
                                null)
                        .status())
                .isEqualTo(403);
    }

    private static void assertProblem(RestClient.Response response, int status, String code) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("code").asString()).isEqualTo(code);
    }

    @Test
    void aRevokedUsersSessionsOnBothInstancesCloseWith4403AndTheirOldTokensAreRefused() throws Exception {
        String doc = unique("events-revoke");
        String mallory = unique("mallory");
        String oldToken =
                Tokens.user(mallory).issuedAt(Instant.now().minusSeconds(5)).sign();
        try (WsClient first = WsClient.connect(port(0), doc, oldToken);
                WsClient second = WsClient.connect(port(1), unique("other-doc"), oldToken);
                WsClient bystander = open(1, doc, unique("bob"))) {
            first.await("snapshot");
            second.await("snapshot");

            RestClient.Response revoked =
                    RestClient.call("DELETE", port(0), "/api/users/" + mallory + "/sessions", ADMIN, null);
            assertThat(revoked.status()).as(revoked.body()).isEqualTo(202);

            assertThat(first.awaitClose()).isEqualTo(4403);
            assertThat(second.awaitClose()).isEqualTo(4403);
            for (int instance = 0; instance < 2; instance++) {
                assertThat(RawHandshake.to(port(instance), "/ws/documents/" + doc)
                                .bearer(oldToken)
                                .status())
                        .as("handshake with a token issued before the revocation")
                        .isEqualTo(401);
                assertThat(RestClient.call("GET", port(instance), "/api/documents/" + doc, oldToken, null)
                                .status())
                        .isEqualTo(401);
            }
            pushed(0, "/api/documents/" + doc + "/events", "still.here");
            assertThat(bystander.await("event").get("name").asString()).isEqualTo("still.here");

            String newToken =
                    Tokens.user(mallory).issuedAt(Instant.now().plusSeconds(2)).sign();
            try (WsClient back = WsClient.connect(port(1), doc, newToken)) {
                assertThat(back.await("snapshot").get("docId").asString()).isEqualTo(doc);
            }
        }
    }

    @Test
    void aRevocationReachesAnInstanceStartedAfterIt() {
        String mallory = unique("mallory");
        String oldToken =
                Tokens.user(mallory).issuedAt(Instant.now().minusSeconds(5)).sign();
        assertThat(RestClient.call("DELETE", port(1), "/api/users/" + mallory + "/sessions", ADMIN, null)
                        .status())
                .isEqualTo(202);
        int late = instances.start();
        try {
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(
                                    RestClient.call("GET", instances.port(late), "/api/documents/any", oldToken, null)
                                            .status())
                            .isEqualTo(401));
        } finally {
            instances.stop(late);
        }
    }

    @Test
    void membersListsWhoIsInTheDocumentOnEveryInstanceOncePerUser() {
        String doc = unique("events-members");
        String alice = unique("alice");
        String bob = unique("bob");
        try (WsClient aliceHere = open(0, doc, alice);
                WsClient aliceAgain = open(0, doc, alice)) {
            Instant beforeBob = Instant.now();
            try (WsClient bobThere = open(1, doc, bob)) {
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                    JsonNode members = RestClient.call(
                                    "GET",
                                    port(0),
                                    "/api/documents/" + doc + "/members",
                                    Tokens.user("reader").scope("doc:read").sign(),
                                    null)
                            .json();
                    assertThat(members.get("id").asString()).isEqualTo(doc);
                    Map<String, JsonNode> byUser = new HashMap<>();
                    members.get("members")
                            .forEach(member -> byUser.put(member.get("userId").asString(), member));
                    assertThat(byUser.keySet()).containsExactlyInAnyOrder(alice, bob);
                    assertThat(byUser.get(alice).get("sessions").asInt()).isEqualTo(2);
                    assertThat(byUser.get(bob).get("sessions").asInt()).isEqualTo(1);
                    assertThat(byUser.get(bob).get("name").asString()).isEqualTo("B" + bob.substring(1));
                    assertThat(byUser.get(bob).get("color").asString()).matches("hsl\\(\\d+ 70% \\d+%\\)");
                    assertThat(Instant.parse(byUser.get(bob).get("since").asString()))
                            .isAfterOrEqualTo(beforeBob.minusSeconds(1));
                    assertThat(Instant.parse(byUser.get(alice).get("since").asString()))
                            .isBefore(Instant.parse(byUser.get(bob).get("since").asString()));
                });
            }
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(RestClient.call(
                                            "GET", port(1), "/api/documents/" + doc + "/members", Tokens.valid(), null)
                                    .json()
                                    .get("members"))
                            .extracting(member -> member.get("userId").asString())
                            .containsExactly(alice));
        }
    }
}
