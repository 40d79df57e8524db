package io.coedit.cluster;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Readiness in cluster mode: Redis answers, and the relay hears its own probes. While Redis is unreachable the
 * instance keeps its WebSocket sessions but stops taking new ones from the load balancer.
 */
class RedisHealth implements HealthIndicator {

    private final RedisConnectionFactory connectionFactory;
    private final SubscriptionProbe probe;

    RedisHealth(RedisConnectionFactory connectionFactory, SubscriptionProbe probe) {
        this.connectionFactory = connectionFactory;
        this.probe = probe;
    }

    @Override
    public Health health() {
        try (RedisConnection connection = connectionFactory.getConnection()) {
            connection.ping();
        } catch (RuntimeException ex) {
            return Health.down().withDetail("redis", "unreachable").build();
        }
        if (!probe.healthy()) {
            return Health.down()
                    .withDetail("relay", "pub/sub silent; resubscribing")
                    .build();
        }
        return Health.up().withDetail("mode", "redis").build();
    }
}
