package io.coedit.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.coedit.document.Author;
import io.coedit.document.CommittedOp;
import io.coedit.document.DocumentId;
import io.coedit.document.DocumentSnapshot;
import io.coedit.document.PresenceUpdate;
import io.coedit.document.RelayListener;
import io.coedit.ot.TextOperation;
import io.coedit.support.EmbeddedRedis;
import io.coedit.support.MutableClock;
import io.coedit.system.DaemonThreads;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which thread hands another instance's op to a room, over a real Redis: Redis' connection thread for a room of a
 * few sessions (a hand-off less), the relay's one thread for a busier room, whose writes must not hold up the
 * connection that reads every message.
 */
class RelayDeliveryThreadIT {

    private EmbeddedRedis redis;
    private RedisInstances instances;
    private RelayThread relayThread;
    private RelayListenerContainer container;
    private ScheduledExecutorService timer;
    private RedisDocumentRelay relay;
    private RedisClient inspector;

    @BeforeEach
    void startInstanceB() {
        redis = EmbeddedRedis.start();
        instances = new RedisInstances(redis);
        inspector = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
        LettuceConnectionFactory factory = instances.newConnectionFactory();
        relayThread = new RelayThread(
                DaemonThreads.named("test-relay"), new MutableClock(Instant.parse("2026-12-05T12:00:00Z")));
        container = new RelayListenerContainer(relayThread);
        container.setConnectionFactory(factory);
        container.afterPropertiesSet();
        container.start();
        timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("test-timer"));
        RelayChannels channels = new RelayChannels(RedisInstances.PREFIX);
        RelayPayloads payloads = new RelayPayloads(JsonMapper.builder().build());
        InstanceId instanceB = new InstanceId("instance-b");
        relay = new RedisDocumentRelay(
                container,
                new ReactiveStringRedisTemplate(factory),
                channels,
                instanceB,
                payloads,
                new RedisMembers(
                        new StringRedisTemplate(factory), channels, instanceB, payloads, Duration.ofSeconds(30)),
                timer,
                instances.newInstance(100, 100, "instance-b"),
                new SimpleMeterRegistry());
    }

    @AfterEach
    void stop() throws Exception {
        if (container != null) {
            container.stop();
            container.destroy();
        }
        if (relayThread != null) {
            relayThread.shutdown();
        }
        if (timer != null) {
            timer.shutdownNow();
        }
        if (inspector != null) {
            inspector.shutdown();
        }
        if (instances != null) {
            instances.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void anOpForARoomOfFourSessionsIsDeliveredOnRedisConnectionThread() throws Exception {
        String deliveredOn = deliveryThreadOfAnOpFromInstanceA(new DocumentId("few-sessions"), 4);

        assertThat(deliveredOn).startsWith("lettuce-");
    }

    @Test
    void anOpForARoomOfFiveSessionsIsDeliveredOnTheRelayThread() throws Exception {
        String deliveredOn = deliveryThreadOfAnOpFromInstanceA(new DocumentId("five-sessions"), 5);

        assertThat(deliveredOn).isEqualTo("test-relay-1");
    }

    private String deliveryThreadOfAnOpFromInstanceA(DocumentId id, int localSessions) throws Exception {
        BlockingQueue<String> deliveredOn = new LinkedBlockingQueue<>();
        relay.subscribe(id, new RelayListener() {
            @Override
            public void committed(String epoch, CommittedOp op) {
                deliveredOn.add(Thread.currentThread().getName());
            }

            @Override
            public void presence(PresenceUpdate update) {}

            @Override
            public void resynchronize() {}

            @Override
            public int localSessions() {
                return localSessions;
            }
        });
        awaitSubscribed(new RelayChannels(RedisInstances.PREFIX).opsChannel(id));

        RedisDocumentStore instanceA = instances.newInstance(100, 100, "instance-a");
        DocumentSnapshot head = instanceA.snapshot(id);
        CommittedOp op = new CommittedOp(
                1, TextOperation.builder().insert("x").build(), new Author("u1", "Ann"), "c1:1", Instant.now());
        instanceA.append(id, head.epoch(), 0, op, "x");

        String thread = deliveredOn.poll(5, TimeUnit.SECONDS);
        assertThat(thread).as("the op reached the room").isNotNull();
        return thread;
    }

    private void awaitSubscribed(String channel) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (subscribers(channel) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(subscribers(channel)).as("instance B listens to %s", channel).isEqualTo(1);
    }

    private long subscribers(String channel) {
        try (StatefulRedisConnection<String, String> connection = inspector.connect()) {
            return connection.sync().pubsubNumsub(channel).getOrDefault(channel, 0L);
        }
    }
}
