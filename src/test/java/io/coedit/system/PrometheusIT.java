package io.coedit.system;

import org.junit.jupiter.api.Test;

import io.coedit.CoeditIntegrationTest;
import io.coedit.support.OpMessages;
import io.coedit.support.RestClient;
import io.coedit.support.Tokens;
import io.coedit.support.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/** What an operator's Prometheus scrapes after some use: the documented meters, and no document or user id. */
class PrometheusIT extends CoeditIntegrationTest {

    @Test
    void theScrapeHasTheOperatorsMetersWithoutIdsAsLabels() {
        String doc = "prometheus-doc-7f3a";
        try (WsClient client =
                WsClient.connect(port, doc, Tokens.user("prometheus-user-9c1b").sign())) {
            client.await("snapshot");
            client.send(OpMessages.insertAtEnd(0, 0, "hello", "p:1"));
            client.await("ack");
            client.send(OpMessages.insertAtEnd(7, 0, "too far ahead", "p:2"));
            client.await(message -> message.path("type").asString().equals("error"));
        }
        RestClient.call(
                "POST",
                port,
                "/api/events",
                Tokens.user("ci").scope("events:publish").sign(),
                "{\"name\":\"scraped\"}");
        RestClient.call("GET", port, "/api/documents/" + doc, null, null);

        assertThat(RestClient.call("GET", port, "/actuator/prometheus", Tokens.valid(), null)
                        .status())
                .as("an editing token")
                .isEqualTo(403);
        RestClient.Response scrape = RestClient.call(
                "GET",
                port,
                "/actuator/prometheus",
                Tokens.user("prometheus").scope("metrics:read").sign(),
                null);
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.body())
                .contains(
                        "coedit_sessions ",
                        "coedit_rooms ",
                        "coedit_rooms_heals ",
                        "coedit_submit_latency_seconds_bucket")
                .containsPattern("coedit_ops_accepted_total [1-9]")
                .containsPattern("coedit_submit_latency_seconds_count [1-9]")
                .containsPattern("coedit_messages_rejected_total\\{code=\"stale_revision\"} [1-9]")
                .containsPattern("coedit_events_published_total\\{target=\"everyone\"} [1-9]")
                .containsPattern("coedit_auth_failures_total\\{reason=\"missing\"} [1-9]")
                .containsPattern("coedit_auth_failures_total\\{reason=\"scope\"} [1-9]")
                .containsPattern("coedit_sessions_closed_total\\{code=\"1000\"} [1-9]");
        assertThat(scrape.body()).doesNotContain("prometheus-doc-7f3a", "prometheus-user-9c1b");
    }
}
