package io.coedit.cluster;

import java.time.Clock;

import io.lettuce.core.ClientOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.coedit.document.DocumentId;
import io.coedit.document.DocumentProperties;
import io.coedit.security.TokenRevocations;
import io.coedit.support.EmbeddedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * The Redis mode's wiring from {@code coedit.cluster.*} and {@code spring.data.redis.*}: only that configuration
 * class and what it needs from the other features are started.
 */
class ClusterConfigurationIT {

    private static EmbeddedRedis redis;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    DataRedisAutoConfiguration.class,
                    DataRedisReactiveAutoConfiguration.class,
                    ValidationAutoConfiguration.class))
            .withUserConfiguration(RedisModeConfiguration.class, Properties.class)
            .withBean(JsonMapper.class, JsonMapper::new)
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withBean(Clock.class, Clock::systemUTC)
            .withBean(TokenRevocations.class, () -> mock(TokenRevocations.class));

    @EnableConfigurationProperties({ClusterProperties.class, DocumentProperties.class})
    static class Properties {}

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
        runner.withPropertyValues(
                        "coedit.cluster.mode=redis",
                        "coedit.cluster.key-prefix=it:",
                        "coedit.cluster.instance-id=instance-under-test",
                        "spring.data.redis.host=" + redis.host(),
                        "spring.data.redis.port=" + redis.port())
                .run(context -> {
                    assertThat(context).hasSingleBean(RedisDocumentStore.class);
                    assertThat(context.getBean(InstanceId.class).value()).isEqualTo("instance-under-test");
                    // a submit must not wait for a reconnect while it holds its document's lock
                    assertThat(context.getBean(LettuceConnectionFactory.class)
                                    .getClientConfiguration()
                                    .getClientOptions()
                                    .orElseThrow()
                                    .getDisconnectedBehavior())
                            .isEqualTo(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);

                    // reading stores nothing but the deployment's genesis epoch, under the prefix
                    DocumentId id = new DocumentId("wired");
                    String epoch = context.getBean(RedisDocumentStore.class)
                            .snapshot(id)
                            .epoch();
                    StringRedisTemplate redisTemplate = context.getBean(StringRedisTemplate.class);
                    assertThat(redisTemplate.opsForValue().get(RedisKeys.genesis("it:")))
                            .isEqualTo(epoch);
                    assertThat(redisTemplate.hasKey(RedisKeys.of("it:", id).meta()))
                            .isFalse();
                });
    }

    @Test
    void memoryModeHasNeitherRedisStoreNorInstanceId() {
        runner.run(context -> {
            assertThat(context).doesNotHaveBean(RedisDocumentStore.class);
            assertThat(context).doesNotHaveBean(InstanceId.class);
        });
    }

    @Test
    void refusesAKeyPrefixThatWouldBreakTheHashTag() {
        runner.withPropertyValues("coedit.cluster.key-prefix=a{b}:")
                .run(context -> assertThat(context)
                        .getFailure()
                        .hasStackTraceContaining("coedit.cluster")
                        .hasStackTraceContaining("keyPrefix"));
    }

    @Test
    void refusesAPresenceTtlThatWouldSweepLiveMembers() {
        runner.withPropertyValues("coedit.cluster.presence-refresh=5s", "coedit.cluster.presence-ttl=8s")
                .run(context -> assertThat(context)
                        .getFailure()
                        .hasStackTraceContaining("presence-ttl must be at least twice presence-refresh"));
        runner.withPropertyValues("coedit.cluster.presence-refresh=5s", "coedit.cluster.presence-ttl=10s")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void anUnknownClusterModeStopsTheStartWithTheModesThereAre() {
        runner.withPropertyValues("coedit.cluster.mode=redsi")
                .run(context -> assertThat(context)
                        .getFailure()
                        .hasStackTraceContaining("coedit.cluster.mode=redsi is not a cluster mode")
                        .hasStackTraceContaining("set memory or redis"));
    }
}
