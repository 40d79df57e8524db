package io.coedit.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.ClientOptions;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.coedit.document.DocumentId;
import io.coedit.document.DocumentProperties;
import io.coedit.support.EmbeddedRedis;

/**
 * The store's wiring from {@code coedit.cluster.*} and {@code spring.data.redis.*}. Only the cluster beans are
 * started, so this does not depend on the rest of the redis mode (the relay) being present.
 */
class ClusterConfigurationIT {

    private static EmbeddedRedis redis;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
                    ValidationAutoConfiguration.class))
            .withUserConfiguration(ClusterConfiguration.class, Properties.class);

    @EnableConfigurationProperties({ClusterProperties.class, DocumentProperties.class})
    static class Properties {
    }

    @BeforeAll
    static void startRedis() {
        redis = EmbeddedRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void redisModeStoresDocumentsUnderTheConfiguredPrefix() {
        runner.withPropertyValues("coedit.cluster.mode=redis", "coedit.cluster.key-prefix=it:",
                "coedit.cluster.instance-id=instance-under-test", "spring.data.redis.host=" + redis.host(),
                "spring.data.redis.port=" + redis.port()).run(context -> {
                    assertThat(context).hasSingleBean(RedisDocumentStore.class);
                    assertThat(context.getBean(InstanceId.class).value()).isEqualTo("instance-under-test");
                    // a submit must not wait for a reconnect while it holds its document's lock
                    assertThat(context.getBean(LettuceConnectionFactory.class).getClientConfiguration()
                            .getClientOptions().orElseThrow().getDisconnectedBehavior())
                            .isEqualTo(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);

                    // reading stores nothing but the deployment's genesis epoch, under the prefix
                    DocumentId id = new DocumentId("wired");
                    String epoch = context.getBean(RedisDocumentStore.class).snapshot(id).epoch();
                    StringRedisTemplate redisTemplate = context.getBean(StringRedisTemplate.class);
                    assertThat(redisTemplate.opsForValue().get(RedisKeys.genesis("it:"))).isEqualTo(epoch);
                    assertThat(redisTemplate.hasKey(RedisKeys.of("it:", id).meta())).isFalse();
                });
    }

    @Test
    void memoryModeHasNoRedisStoreButARandomInstanceId() {
        runner.run(context -> {
            assertThat(context).doesNotHaveBean(RedisDocumentStore.class);
            assertThat(context.getBean(ClusterProperties.class).mode()).isEqualTo(ClusterProperties.Mode.MEMORY);
            assertThat(context.getBean(InstanceId.class).value()).hasSize(36);
        });
    }

    @Test
    void refusesAKeyPrefixThatWouldBreakTheHashTag() {
        runner.withPropertyValues("coedit.cluster.key-prefix=a{b}:").run(context -> assertThat(context)
                .getFailure().hasStackTraceContaining("coedit.cluster").hasStackTraceContaining("keyPrefix"));
    }
}
