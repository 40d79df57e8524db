package io.coedit.cluster;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.coedit.document.AppendOutcome;
import io.coedit.document.Author;
import io.coedit.document.CommittedOp;
import io.coedit.document.DocumentId;
import io.coedit.document.DocumentSnapshot;
import io.coedit.document.LogEntryCodec;
import io.coedit.ot.TextOperation;
import io.coedit.support.EmbeddedRedis;

import static org.assertj.core.api.Assertions.assertThat;

/** The message every commit publishes: the format the relay on other instances relies on. */
class RedisOpsChannelIT {

    private static EmbeddedRedis redis;
    private static RedisInstances instances;
    private static RedisClient client;
    private static StatefulRedisPubSubConnection<String, String> subscriber;
    private static final BlockingQueue<String[]> messages = new LinkedBlockingQueue<>();

    @BeforeAll
    static void subscribe() {
        redis = EmbeddedRedis.start();
        instances = new RedisInstances(redis);
        client = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
        subscriber = client.connectPubSub();
        subscriber.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String pattern, String channel, String message) {
                messages.add(new String[] {channel, message});
            }
        });
        subscriber.sync().psubscribe(RedisKeys.channelPattern(RedisInstances.PREFIX));
    }

    @AfterAll
    static void close() {
        if (client != null) {
            subscriber.close();
            client.shutdown();
        }
        if (instances != null) {
            instances.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void publishesEachCommitOnceWithItsOriginAfterStoringIt() throws Exception {
        RedisDocumentStore store = instances.newInstance(10, 100, "instance-a");
        DocumentId id = new DocumentId("pub.sub-1");
        DocumentSnapshot head = store.snapshot(id);
        Instant ts = Instant.parse("2025-01-01T12:00:00.123456789Z");
        CommittedOp op = new CommittedOp(
                1, TextOperation.builder().insert("hé😀\uDC00\"").build(), new Author("u1", "Ann \"A\""), "c1:7", ts);
        assertThat(store.append(id, head.epoch(), 0, op, "hé😀\uDC00\"")).isEqualTo(new AppendOutcome.Appended(op));

        String[] message = messages.poll(5, TimeUnit.SECONDS);
        assertThat(message).isNotNull();
        assertThat(message[0]).isEqualTo("test:doc:{pub.sub-1}:ops");
        JsonNode payload = JsonMapper.builder().build().readTree(message[1]);
        assertThat(payload.propertyNames())
                .containsExactlyInAnyOrder("origin", "doc", "epoch", "rev", "op", "author", "id", "ts");
        assertThat(payload.get("origin").asString()).isEqualTo("instance-a");
        assertThat(payload.get("doc").asString()).isEqualTo("pub.sub-1");
        assertThat(payload.get("epoch").asString()).isEqualTo(head.epoch());
        assertThat(payload.get("rev").asLong()).isEqualTo(1);
        assertThat(payload.get("op").get(0).asString()).isEqualTo("hé😀\uDC00\"");
        assertThat(payload.get("author").get("id").asString()).isEqualTo("u1");
        assertThat(payload.get("author").get("name").asString()).isEqualTo("Ann \"A\"");
        assertThat(payload.get("id").asString()).isEqualTo("c1:7");
        assertThat(Instant.parse(payload.get("ts").asString())).isEqualTo(ts);
        assertThat(new LogEntryCodec().decodePublished(message[1]))
                .isEqualTo(new LogEntryCodec.PublishedOp("instance-a", id, head.epoch(), op));
        // stored before published: whoever hears of rev 1 can read it
        assertThat(store.opsSince(id, head.epoch(), 0)).contains(List.of(op));

        // refused appends publish nothing
        CommittedOp again = new CommittedOp(
                2, TextOperation.builder().retain(6).insert("x").build(), op.author(), "c1:7", Instant.now());
        assertThat(store.append(id, head.epoch(), 1, again, "")).isInstanceOf(AppendOutcome.Duplicate.class);
        CommittedOp stale =
                new CommittedOp(1, TextOperation.builder().insert("y").build(), op.author(), "c1:8", Instant.now());
        assertThat(store.append(id, head.epoch(), 0, stale, "y")).isEqualTo(new AppendOutcome.HeadMoved(1));
        assertThat(messages.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }
}
