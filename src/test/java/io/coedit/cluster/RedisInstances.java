package io.coedit.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executor;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.coedit.document.LogLimits;
import io.coedit.support.EmbeddedRedis;

/**
 * Simulated application instances on one Redis: each store gets its own connection, head cache and instance id,
 * configured as {@link RedisModeConfiguration} and application.yml configure the real one.
 */
final class RedisInstances implements AutoCloseable {

    static final String PREFIX = "test:";

    private final EmbeddedRedis redis;
    private final boolean ownsRedis;
    private final List<LettuceConnectionFactory> factories = new ArrayList<>();
    private final StringRedisTemplate admin;

    RedisInstances(EmbeddedRedis redis) {
        this(redis, false);
    }

    private RedisInstances(EmbeddedRedis redis, boolean ownsRedis) {
        this.redis = redis;
        this.ownsRedis = ownsRedis;
        this.admin = template();
    }

    /** Instances on a Redis of their own, stopped again by {@link #close()}. */
    static RedisInstances onNewRedis() {
        return new RedisInstances(EmbeddedRedis.start(), true);
    }

    /** A direct connection for inspecting or damaging the data behind the stores' backs. */
    StringRedisTemplate admin() {
        return admin;
    }

    RedisDocumentStore newInstance(int retainedOps, int snapshotEvery) {
        return newInstance(retainedOps, snapshotEvery, "instance-" + UUID.randomUUID());
    }

    RedisDocumentStore newInstance(int retainedOps, int snapshotEvery, String instanceId) {
        return newInstance(LogLimits.ofOps(retainedOps), snapshotEvery, instanceId);
    }

    RedisDocumentStore newInstance(LogLimits limits, int snapshotEvery, String instanceId) {
        return newInstance(limits, snapshotEvery, instanceId, RedisDocumentStore::new);
    }

    /** What builds a store from its parts: the real constructor, or a test's subclass. */
    interface StoreConstructor {
        RedisDocumentStore construct(StringRedisTemplate redis, RedisStoreSettings settings, Executor background);
    }

    RedisDocumentStore newInstance(
            LogLimits limits, int snapshotEvery, String instanceId, StoreConstructor constructor) {
        return newInstance(limits, snapshotEvery, instanceId, RedisStoreSettings.COMMIT_CLAIM, constructor);
    }

    RedisDocumentStore newInstance(
            LogLimits limits,
            int snapshotEvery,
            String instanceId,
            Duration commitClaim,
            StoreConstructor constructor) {
        return constructor.construct(
                template(),
                new RedisStoreSettings(
                        PREFIX,
                        limits,
                        Math.min(snapshotEvery, limits.retainedOps()),
                        100,
                        64L << 20,
                        new InstanceId(instanceId),
                        commitClaim),
                // the genesis epoch is read again on the calling thread: these tests send no commit from a request
                // thread
                Runnable::run);
    }

    /**
     * Loads the store's scripts into Redis' script cache, as a running deployment has them: the first {@code EVALSHA}
     * of a script Redis has not seen is answered {@code NOSCRIPT} and sent again, two calls where {@link #scriptsRun}
     * should count one.
     */
    void loadScripts() {
        admin.execute((RedisCallback<Void>) connection -> {
            for (String name : List.of("load", "commit", "ops", "find", "presence")) {
                connection
                        .scriptingCommands()
                        .scriptLoad(RedisScriptCalls.script(name)
                                .getScriptAsString()
                                .getBytes(StandardCharsets.UTF_8));
            }
            return null;
        });
    }

    /** How many scripts Redis has run since it started ({@code INFO commandstats}): every store call is one. */
    long scriptsRun() {
        Properties stats = admin.execute((RedisCallback<Properties>)
                connection -> connection.serverCommands().info("commandstats"));
        long calls = 0;
        for (String command : List.of("cmdstat_evalsha", "cmdstat_eval")) {
            String line = stats.getProperty(command);
            if (line != null) {
                // calls=12,usec=345,...
                calls += Long.parseLong(line.substring("calls=".length(), line.indexOf(',')));
            }
        }
        return calls;
    }

    /** How many connections Redis has accepted since it started ({@code INFO stats}), this one's own included. */
    long connectionsAccepted() {
        return Long.parseLong(admin.execute((RedisCallback<Properties>)
                        connection -> connection.serverCommands().info("stats"))
                .getProperty("total_connections_received"));
    }

    void flushAll() {
        admin.execute((RedisCallback<Void>) connection -> {
            connection.serverCommands().flushAll();
            return null;
        });
    }

    private StringRedisTemplate template() {
        return new StringRedisTemplate(newConnectionFactory());
    }

    /** A started connection factory of its own, configured as the stores' are; closed by {@link #close()}. */
    LettuceConnectionFactory newConnectionFactory() {
        LettuceClientConfiguration client = LettuceClientConfiguration.builder()
                .commandTimeout(Duration.ofSeconds(2))
                .clientOptions(ClientOptions.builder()
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .socketOptions(SocketOptions.builder()
                                .connectTimeout(Duration.ofSeconds(2))
                                .build())
                        .build())
                .build();
        LettuceConnectionFactory factory =
                new LettuceConnectionFactory(new RedisStandaloneConfiguration(redis.host(), redis.port()), client);
        factory.afterPropertiesSet();
        factory.start();
        factories.add(factory);
        return factory;
    }

    @Override
    public void close() {
        factories.forEach(LettuceConnectionFactory::destroy);
        if (ownsRedis) {
            redis.close();
        }
    }
}
