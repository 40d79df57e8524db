package io.coedit.support;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.coedit.CoeditApplication;

/** Whole Coedit instances in cluster mode, each a full application context on a random port, sharing one Redis. */
public final class ClusterInstances implements AutoCloseable {

    private final EmbeddedRedis redis;
    private final boolean ownsRedis;
    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

    public ClusterInstances(EmbeddedRedis redis) {
        this(redis, false);
    }

    private ClusterInstances(EmbeddedRedis redis, boolean ownsRedis) {
        this.redis = redis;
        this.ownsRedis = ownsRedis;
    }

    /**
     * A Redis of its own on a random port and {@code count} instances on it, each started with {@code extraArgs};
     * {@link #close} stops them all.
     */
    public static ClusterInstances withOwnRedis(int count, String... extraArgs) {
        ClusterInstances instances = new ClusterInstances(EmbeddedRedis.start(), true);
        try {
            for (int i = 0; i < count; i++) {
                instances.start(extraArgs);
            }
        } catch (RuntimeException ex) {
            instances.close();
            throw ex;
        }
        return instances;
    }

    /** Starts one more instance and returns its index. */
    public int start(String... extraArgs) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--coedit.cluster.mode=redis",
                "--spring.data.redis.host=" + redis.host(),
                "--spring.data.redis.port=" + redis.port(),
                "--spring.data.redis.timeout=2s",
                "--spring.data.redis.connect-timeout=2s",
                "--coedit.security.jwt.secret=" + Tokens.SECRET,
                "--coedit.cluster.instance-id=instance-" + contexts.size(),
                "--spring.main.banner-mode=off"));
        args.addAll(List.of(extraArgs));
        contexts.add(new SpringApplicationBuilder(CoeditApplication.class).run(args.toArray(String[]::new)));
        return contexts.size() - 1;
    }

    public EmbeddedRedis redis() {
        return redis;
    }

    public int port(int instance) {
        return Integer.parseInt(contexts.get(instance).getEnvironment().getProperty("local.server.port"));
    }

    public ConfigurableApplicationContext context(int instance) {
        return contexts.get(instance);
    }

    /** Stops one instance the way an orchestrator does (its sessions are closed with 1001). */
    public void stop(int instance) {
        contexts.get(instance).close();
    }

    @Override
    public void close() {
        contexts.forEach(ConfigurableApplicationContext::close);
        if (ownsRedis) {
            redis.close();
        }
    }
}
