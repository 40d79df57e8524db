package io.coedit.cluster;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.lettuce.core.ClientOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import io.coedit.document.CommitFeed;
import io.coedit.document.DocumentProperties;
import io.coedit.document.DocumentStore;
import io.coedit.events.IdempotencyKeys;
import io.coedit.security.TokenRevocations;
import io.coedit.storage.ConditionalOnStorage;
import io.coedit.storage.StorageType;
import io.coedit.system.ClusterMode;
import io.coedit.system.CoeditExecutors.ClusterTimer;
import io.coedit.system.ConditionalOnClusterMode;
import io.coedit.system.DaemonThreads;

/**
 * Cluster mode ({@code coedit.cluster.mode=redis}): this instance's id, the relay, the presence directory, events
 * and idempotency keys through Redis, their upkeep, and the Redis document store when
 * {@code coedit.storage.type=redis} (the default in this mode).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClusterMode(ClusterMode.REDIS)
class RedisModeConfiguration {

    @Bean
    InstanceId instanceId(ClusterProperties properties) {
        return InstanceId.of(properties.instanceId());
    }

    /**
     * Lettuce queues commands while it reconnects, so a submit would hold its document's lane until the command
     * timeout; failing at once lets the client hear "unavailable, retry" instead.
     */
    @Bean
    LettuceClientOptionsBuilderCustomizer rejectCommandsWhileDisconnected() {
        return builder -> builder.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
    }

    @Bean
    @ConditionalOnStorage(StorageType.REDIS)
    RedisDocumentStore redisDocumentStore(
            StringRedisTemplate redis,
            ClusterProperties cluster,
            DocumentProperties documents,
            InstanceId instanceId,
            @ClusterTimer ScheduledExecutorService timer) {
        return new RedisDocumentStore(redis, RedisStoreSettings.of(cluster, documents, instanceId), timer);
    }

    @Bean(destroyMethod = "shutdownNow")
    @ClusterTimer
    ScheduledExecutorService clusterTimer() {
        return Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("coedit-cluster-timer"));
    }

    @Bean(destroyMethod = "shutdown")
    RelayThread relayThread(Clock clock) {
        return new RelayThread(DaemonThreads.named("coedit-relay"), clock);
    }

    /**
     * Spring's default executor starts a thread per message, which falls behind and reorders under load: one
     * thread dispatches every message in the order Redis delivered it.
     */
    @Bean
    RedisMessageListenerContainer redisMessageListenerContainer(
            RedisConnectionFactory connectionFactory, RelayThread relayThread) {
        RedisMessageListenerContainer container = new RelayListenerContainer(relayThread);
        container.setConnectionFactory(connectionFactory);
        container.setRecoveryInterval(1000);
        return container;
    }

    @Bean
    RelayChannels relayChannels(ClusterProperties properties) {
        return new RelayChannels(properties.keyPrefix());
    }

    @Bean
    RelayPayloads relayPayloads(JsonMapper mapper) {
        return new RelayPayloads(mapper);
    }

    @Bean
    RedisMembers redisMembers(
            StringRedisTemplate blockingRedis,
            RelayChannels channels,
            InstanceId instanceId,
            RelayPayloads payloads,
            ClusterProperties properties) {
        return new RedisMembers(blockingRedis, channels, instanceId, payloads, properties.presenceTtl());
    }

    @Bean
    RedisDocumentRelay redisDocumentRelay(
            RedisMessageListenerContainer container,
            ReactiveStringRedisTemplate redis,
            RelayChannels channels,
            InstanceId instanceId,
            RelayPayloads payloads,
            RedisMembers members,
            @ClusterTimer ScheduledExecutorService timer,
            DocumentStore store,
            MeterRegistry registry) {
        return new RedisDocumentRelay(
                container, redis, channels, instanceId, payloads, members, timer, store, registry);
    }

    /** A store that does not publish its commits itself (PostgreSQL) hands them to the relay. */
    @Bean
    @ConditionalOnStorage(StorageType.POSTGRES)
    CommitFeed redisCommitFeed(ReactiveStringRedisTemplate redis, RelayChannels channels, InstanceId instanceId) {
        return new RedisCommitFeed(redis, channels, instanceId);
    }

    @Bean
    RedisEventBus redisEventBus(
            RedisMessageListenerContainer container,
            StringRedisTemplate redis,
            RelayChannels channels,
            TokenRevocations revocations,
            @ClusterTimer ScheduledExecutorService timer,
            ClusterProperties properties) {
        return new RedisEventBus(container, redis, channels, revocations, timer, properties.revocationReload());
    }

    @Bean
    IdempotencyKeys redisIdempotencyKeys(StringRedisTemplate redis, RelayChannels channels) {
        return new RedisIdempotencyKeys(redis, channels);
    }

    @Bean
    SubscriptionProbe subscriptionProbe(
            RedisMessageListenerContainer container,
            ReactiveStringRedisTemplate redis,
            RelayChannels channels,
            InstanceId instanceId,
            RelayThread relayThread,
            RedisDocumentRelay relay,
            RedisEventBus events,
            @ClusterTimer ScheduledExecutorService timer,
            Clock clock,
            MeterRegistry registry,
            ClusterProperties cluster) {
        Counter reconnects = Counter.builder("coedit.redis.reconnects")
                .description("Times the relay's subscription came back after Redis was away")
                .register(registry);
        // after a reconnect: rooms catch up from the log, and revocations announced meanwhile are read again (off
        // the relay's thread, which calls this)
        Runnable resynchronize = () -> {
            reconnects.increment();
            relay.resynchronizeAll();
            timer.execute(events::reloadRevocations);
        };
        return new SubscriptionProbe(
                container,
                redis,
                channels,
                instanceId,
                clock,
                relayThread::lastArrivalMillis,
                resynchronize,
                cluster.probeInterval());
    }

    @Bean
    HealthIndicator clusterHealthIndicator(RedisConnectionFactory connectionFactory, SubscriptionProbe probe) {
        return new RedisHealth(connectionFactory, probe);
    }

    @Bean
    ClusterUpkeep clusterUpkeep(
            RedisDocumentRelay relay,
            RedisMembers members,
            SubscriptionProbe probe,
            @ClusterTimer ScheduledExecutorService timer,
            ClusterProperties properties) {
        return new ClusterUpkeep(
                relay, members, probe, timer, properties.probeInterval(), properties.presenceRefresh());
    }
}
