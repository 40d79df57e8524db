package io.coedit.cluster;

import io.lettuce.core.ClientOptions;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.coedit.document.DocumentProperties;
import io.coedit.storage.ConditionalOnStorage;
import io.coedit.storage.StorageType;

/** The instance id always; the Redis document store when {@code coedit.storage.type=redis}. */
@Configuration(proxyBeanMethods = false)
class ClusterConfiguration {

    @Bean
    InstanceId instanceId(ClusterProperties properties) {
        return InstanceId.of(properties.instanceId());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "coedit.cluster.mode", havingValue = "redis")
    static class RedisMode {

        @Bean
        @ConditionalOnStorage(StorageType.REDIS)
        RedisDocumentStore redisDocumentStore(StringRedisTemplate redis, ClusterProperties cluster,
                DocumentProperties documents, InstanceId instanceId) {
            return new RedisDocumentStore(redis, RedisStoreSettings.of(cluster, documents, instanceId));
        }

        /**
         * Lettuce queues commands while it reconnects, so a submit would hold its document's lock until the
         * command timeout; failing at once lets the client hear "unavailable, retry" instead.
         */
        @Bean
        LettuceClientOptionsBuilderCustomizer rejectCommandsWhileDisconnected() {
            return builder -> builder.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
        }
    }
}
