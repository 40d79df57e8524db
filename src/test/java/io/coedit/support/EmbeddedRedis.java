package io.coedit.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Assumptions;
import redis.embedded.RedisServer;

/**
 * A real redis-server (the binary bundled with codemonstur embedded-redis) on a random free port of 127.0.0.1,
 * which tests may stop and start again on the same port.
 *
 * <p>Each server gets its own data directory and never writes an RDB file: the binary's default save points would
 * otherwise leave a dump.rdb that a "fresh" restart silently loads. With append-only on, every write is fsynced
 * to the AOF in that directory, so a stop and start keeps all acknowledged data; with it off a restart comes back
 * empty, as a Redis that lost its data would.
 *
 * <p>When the binary cannot start (an unsupported platform) the test is skipped, except under {@code CI=true},
 * where a Redis test that did not run must not pass for one that did.
 */
public final class EmbeddedRedis implements AutoCloseable {

    private final int port;
    private final Path dataDir;
    private boolean appendOnly;
    private RedisServer server;

    private EmbeddedRedis(int port, Path dataDir, boolean appendOnly) {
        this.port = port;
        this.dataDir = dataDir;
        this.appendOnly = appendOnly;
    }

    /** A running server without persistence. */
    public static EmbeddedRedis start() {
        return start(false);
    }

    /** A running server that persists every write to an append-only file, surviving {@link #restart()}. */
    public static EmbeddedRedis startAppendOnly() {
        return start(true);
    }

    private static EmbeddedRedis start(boolean appendOnly) {
        try {
            EmbeddedRedis redis = new EmbeddedRedis(freePort(), Files.createTempDirectory("coedit-redis-"), appendOnly);
            redis.startServer();
            return redis;
        } catch (IOException | RuntimeException ex) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException("Embedded Redis failed to start", ex);
            }
            return Assumptions.abort("Embedded Redis cannot start here: " + ex);
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    /** How many clients are subscribed to {@code channel} ({@code PUBSUB NUMSUB}). */
    public long subscribers(String channel) {
        return commands(redis -> redis.pubsubNumsub(channel).getOrDefault(channel, 0L));
    }

    /** How many times the server ran {@code command} since it started ({@code INFO commandstats}). */
    public long calls(String command) {
        String stats = commands(redis -> redis.info("commandstats"));
        Matcher calls = Pattern.compile("cmdstat_" + command.toLowerCase(Locale.ROOT) + ":calls=(\\d+)")
                .matcher(stats);
        return calls.find() ? Long.parseLong(calls.group(1)) : 0;
    }

    /** Deletes every key ({@code FLUSHALL}): Redis as it comes back after losing its data, without a restart. */
    public void flushAll() {
        commands(RedisCommands::flushall);
    }

    /** Writes an RDB snapshot now ({@code SAVE}) and returns a copy of it, as an operator's backup would be. */
    public synchronized Path backup() {
        RedisClient client = RedisClient.create(RedisURI.create(host(), port));
        try (var connection = client.connect()) {
            connection.sync().save();
            Path copy = Files.createTempFile("coedit-redis-backup-", ".rdb");
            Files.copy(dataDir.resolve("dump.rdb"), copy, StandardCopyOption.REPLACE_EXISTING);
            return copy;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } finally {
            client.shutdown();
        }
    }

    /**
     * Stops the server, puts {@code backup} in place of its data and starts it again on the same port: Redis comes
     * back with that older state, as after a restore or a failover to a lagging replica.
     */
    public synchronized void restore(Path backup) {
        stop();
        try {
            Files.deleteIfExists(dataDir.resolve("appendonly.aof"));
            Files.copy(backup, dataDir.resolve("dump.rdb"), StandardCopyOption.REPLACE_EXISTING);
            startServer();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The keys matching {@code pattern} ({@code KEYS}: tests only), each with its time to live in s (-1: none). */
    public Map<String, Long> keysWithTtl(String pattern) {
        return commands(redis -> {
            Map<String, Long> keys = new TreeMap<>();
            for (String key : redis.keys(pattern)) {
                keys.put(key, redis.ttl(key));
            }
            return keys;
        });
    }

    /** The fields of the hash at {@code key} ({@code HKEYS}). */
    public List<String> hashFields(String key) {
        return commands(redis -> redis.hkeys(key));
    }

    private <T> T commands(Function<RedisCommands<String, String>, T> work) {
        RedisClient client = RedisClient.create(RedisURI.create(host(), port));
        try (var connection = client.connect()) {
            return work.apply(connection.sync());
        } finally {
            client.shutdown();
        }
    }

    public synchronized boolean isRunning() {
        return server != null && server.isActive();
    }

    /** Shuts the server down (SIGTERM, so an append-only file is complete); clients see connections drop. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        server = null;
    }

    /** Starts the server again on the same port and data directory, keeping the current persistence mode. */
    public synchronized void restart() {
        restart(appendOnly);
    }

    /** Starts the server again on the same port, with append-only persistence switched on or off. */
    public synchronized void restart(boolean withAppendOnly) {
        stop();
        this.appendOnly = withAppendOnly;
        try {
            startServer();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public synchronized void close() {
        stop();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException ex) {
            // a leftover temporary directory is not worth failing a test for
        }
    }

    private void startServer() throws IOException {
        server = RedisServer.newRedisServer()
                .bind(host())
                .port(port)
                .setting("dir " + dataDir)
                .setting("save \"\"")
                .setting("appendonly " + (appendOnly ? "yes" : "no"))
                .setting("appendfsync always")
                // drained, because a full stdout pipe would stall the server
                .soutListener(line -> {})
                .serrListener(line -> {})
                .build();
        server.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
