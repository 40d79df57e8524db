package io.coedit.cluster;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import io.coedit.document.CommitFeed;
import io.coedit.document.DocumentStore;
import io.coedit.events.IdempotencyKeys;
import io.coedit.security.TokenRevocations;
import io.coedit.storage.ConditionalOnStorage;
import io.coedit.storage.StorageType;
import tools.jackson.databind.json.JsonMapper;

/** Cluster mode ({@code coedit.cluster.mode=redis}): the relay, presence directory and their upkeep. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "coedit.cluster.mode", havingValue = "redis")
class RedisClusterConfiguration {

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService coeditClusterTimer() {
        return Executors.newSingleThreadScheduledExecutor(daemonThreads("coedit-cluster-timer"));
    }

    @Bean(destroyMethod = "shutdown")
    RelayThread relayThread(Clock clock) {
        return new RelayThread(daemonThreads("coedit-relay"), clock);
    }

    /**
     * Spring's default executor starts a thread per message, which falls behind and reorders under load: one
     * thread dispatches every message in the order Redis delivered it.
     */
    @Bean
    RedisMessageListenerContainer redisMessageListenerContainer(RedisConnectionFactory connectionFactory,
            RelayThread relayThread) {
        RedisMessageListenerContainer container = new RedisMessageListenerContainer();
        container.setConnectionFactory(connectionFactory);
        container.setTaskExecutor(relayThread);
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
    RedisMembers redisMembers(ReactiveStringRedisTemplate redis, StringRedisTemplate blockingRedis, RelayChannels channels,
            InstanceId instanceId, RelayPayloads payloads) {
        return new RedisMembers(redis, blockingRedis, channels, instanceId, payloads);
    }

    @Bean
    RedisDocumentRelay redisDocumentRelay(RedisMessageListenerContainer container, ReactiveStringRedisTemplate redis,
            RelayChannels channels, InstanceId instanceId, RelayPayloads payloads, RedisMembers members,
            ScheduledExecutorService coeditClusterTimer, DocumentStore store, MeterRegistry registry) {
        return new RedisDocumentRelay(container, redis, channels, instanceId, payloads, members, coeditClusterTimer,
                store, registry);
    }

    /** A store that does not publish its commits itself (PostgreSQL) hands them to the relay. */
    @Bean
    @ConditionalOnStorage(StorageType.POSTGRES)
    CommitFeed redisCommitFeed(ReactiveStringRedisTemplate redis, RelayChannels channels, InstanceId instanceId) {
        return new RedisCommitFeed(redis, channels, instanceId);
    }

    @Bean(initMethod = "start", destroyMethod = "stop")
    RedisEventBus redisEventBus(RedisMessageListenerContainer container, StringRedisTemplate redis,
            RelayChannels channels, TokenRevocations revocations, ScheduledExecutorService coeditClusterTimer) {
        return new RedisEventBus(container, redis, channels, revocations, coeditClusterTimer);
    }

    @Bean
    IdempotencyKeys redisIdempotencyKeys(StringRedisTemplate redis, RelayChannels channels) {
        return new RedisIdempotencyKeys(redis, channels);
    }

    @Bean
    SubscriptionProbe subscriptionProbe(RedisMessageListenerContainer container, ReactiveStringRedisTemplate redis,
            RelayChannels channels, InstanceId instanceId, RelayThread relayThread, RedisDocumentRelay relay,
            RedisEventBus events, ScheduledExecutorService coeditClusterTimer, Clock clock, MeterRegistry registry) {
        Counter reconnects = Counter.builder("coedit.redis.reconnects")
                .description("Times the relay's subscription came back after Redis was away").register(registry);
        // after a reconnect: rooms catch up from the log, and revocations announced meanwhile are read again (off
        // the relay's thread, which calls this)
        Runnable resynchronize = () -> {
            reconnects.increment();
            relay.resynchronizeAll();
            coeditClusterTimer.execute(events::reloadRevocations);
        };
        return new SubscriptionProbe(container, redis, channels, instanceId, clock, relayThread::lastArrivalMillis,
                resynchronize);
    }

    @Bean
    HealthIndicator clusterHealthIndicator(RedisConnectionFactory connectionFactory, SubscriptionProbe probe) {
        return new RedisHealth(connectionFactory, probe);
    }

    @Bean
    ClusterUpkeep clusterUpkeep(RedisDocumentRelay relay, RedisMembers members, SubscriptionProbe probe,
            ScheduledExecutorService coeditClusterTimer) {
        return new ClusterUpkeep(relay, members, probe, coeditClusterTimer);
    }

    private static CustomizableThreadFactory daemonThreads(String name) {
        CustomizableThreadFactory factory = new CustomizableThreadFactory(name + "-");
        factory.setDaemon(true);
        return factory;
    }
}
