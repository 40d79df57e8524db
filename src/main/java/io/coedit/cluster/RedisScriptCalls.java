package io.coedit.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.BooleanOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.ValueListOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Runs a Lua script without holding a thread while Redis works: {@code EVALSHA} on Lettuce's shared connection,
 * answered from Lettuce's I/O thread, and {@code EVAL} once when Redis no longer knows the script (a restart, a
 * {@code SCRIPT FLUSH}). Spring's template only runs scripts synchronously, and its reactive executor costs a
 * connection handle and a Flux per call. Replies come as Spring's {@code StringRedisTemplate} gives them: bulk
 * strings as {@link String}s. Failures complete the future exceptionally as {@link RedisFailures#translate} reads
 * them. A connection factory that is not Lettuce's gets the synchronous call, completed before it returns.
 *
 * <p>The periodic work's batches of plain commands (the head check's reads, the presence refresh's writes) go out on
 * the same shared connection ({@link #hashFields}, {@link #writeHashes}).
 */
final class RedisScriptCalls {

    private final StringRedisTemplate redis;
    /**
     * Lettuce's shared connection, kept while it is open: asking the factory for it on every call took two locks of
     * the whole process (the factory's shared connection, and commons-logging's table of loggers for the connection
     * handle it wraps it in), which the submit threads queued on under load.
     */
    private volatile RedisClusterAsyncCommands<byte[], byte[]> shared;

    RedisScriptCalls(StringRedisTemplate redis) {
        this.redis = redis;
    }

    @SuppressWarnings("rawtypes")
    CompletableFuture<List<?>> run(String what, RedisScript<List> script, List<String> keys, List<String> args) {
        CompletableFuture<List<?>> reply = new CompletableFuture<>();
        byte[][] keyBytes = bytes(keys);
        byte[][] argBytes = bytes(args);
        RedisClusterAsyncCommands<byte[], byte[]> commands;
        try {
            commands = asyncCommands();
            if (commands == null) {
                @SuppressWarnings("unchecked")
                List<?> answer = redis.execute(script, keys, args.toArray());
                return CompletableFuture.completedFuture(nonEmpty(what, answer));
            }
        } catch (RuntimeException ex) {
            return CompletableFuture.failedFuture(RedisFailures.translate(what, ex));
        }
        commands.<List<Object>>evalsha(script.getSha1(), ScriptOutputType.MULTI, keyBytes, argBytes)
                .whenComplete((answer, failure) -> {
                    if (failure instanceof RedisNoScriptException) {
                        commands.<List<Object>>eval(
                                        script.getScriptAsString().getBytes(StandardCharsets.UTF_8),
                                        ScriptOutputType.MULTI,
                                        keyBytes,
                                        argBytes)
                                .whenComplete((again, failedAgain) -> complete(reply, what, again, failedAgain));
                    } else {
                        complete(reply, what, answer, failure);
                    }
                });
        return reply;
    }

    /**
     * The given fields of every hash, one {@code HMGET} each, sent as one batch ({@link #sendTogether}). Null when
     * the connection is not Lettuce's standalone one: the caller uses the template then.
     */
    List<List<String>> hashFields(String what, List<String> keys, String... fields) {
        List<AsyncCommand<byte[], byte[], List<byte[]>>> reads = new ArrayList<>(keys.size());
        for (String key : keys) {
            CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(utf8(key));
            for (String field : fields) {
                args.add(utf8(field));
            }
            reads.add(new AsyncCommand<>(
                    new Command<>(CommandType.HMGET, new ValueListOutput<>(ByteArrayCodec.INSTANCE), args)));
        }
        if (!sendTogether(what, reads)) {
            return null;
        }
        List<List<String>> values = new ArrayList<>(keys.size());
        for (AsyncCommand<byte[], byte[], List<byte[]>> read : reads) {
            List<byte[]> replies = read.getNow(List.of());
            List<String> row = new ArrayList<>(replies.size());
            for (byte[] value : replies) {
                row.add(value == null ? null : new String(value, StandardCharsets.UTF_8));
            }
            values.add(row);
        }
        return values;
    }

    /**
     * Writes the entries into each hash (one {@code HSET}, left out for a hash with none) and sets every hash to
     * expire after {@code ttl} ({@code PEXPIRE}), all sent as one batch ({@link #sendTogether}). False when the
     * connection is not Lettuce's standalone one, having written nothing: the caller uses the template then.
     */
    boolean writeHashes(String what, Map<String, Map<String, String>> entriesByKey, Duration ttl) {
        List<AsyncCommand<byte[], byte[], ?>> writes = new ArrayList<>(entriesByKey.size() * 2);
        byte[] ttlMillis = utf8(Long.toString(ttl.toMillis()));
        entriesByKey.forEach((key, entries) -> {
            if (!entries.isEmpty()) {
                CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(utf8(key));
                entries.forEach((field, value) -> args.add(utf8(field)).add(utf8(value)));
                writes.add(new AsyncCommand<>(
                        new Command<>(CommandType.HSET, new IntegerOutput<>(ByteArrayCodec.INSTANCE), args)));
            }
            writes.add(new AsyncCommand<>(new Command<>(
                    CommandType.PEXPIRE,
                    new BooleanOutput<>(ByteArrayCodec.INSTANCE),
                    new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(utf8(key)).add(ttlMillis))));
        });
        return sendTogether(what, writes);
    }

    /**
     * Hands the commands to Lettuce's shared connection as one batch (written, then flushed once: not one write
     * system call per command on the I/O thread that also reads every commit's reply) and waits for all of their
     * replies, for the connection's command timeout in all. Not the template's {@code executePipelined}: Spring Data
     * Redis pipelines on a dedicated connection and, without a pool, opened a new connection to Redis on every call
     * (every head check, every presence refresh). False, having sent nothing, when the connection is not Lettuce's
     * standalone one.
     */
    private boolean sendTogether(String what, List<? extends AsyncCommand<byte[], byte[], ?>> batch) {
        RedisClusterAsyncCommands<byte[], byte[]> commands;
        try {
            commands = asyncCommands();
        } catch (RuntimeException ex) {
            throw RedisFailures.translate(what, ex);
        }
        if (!(commands instanceof RedisAsyncCommands<byte[], byte[]> standalone)) {
            return false;
        }
        if (batch.isEmpty()) {
            return true;
        }
        standalone.getStatefulConnection().dispatch(batch);
        long deadline = System.nanoTime() + commandTimeoutNanos();
        try {
            for (AsyncCommand<byte[], byte[], ?> command : batch) {
                command.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw RedisFailures.translate(what, new RedisCommandInterruptedException(ex));
        } catch (ExecutionException ex) {
            throw RedisFailures.translate(what, ex.getCause());
        } catch (TimeoutException ex) {
            throw RedisFailures.translate(what, new RedisCommandTimeoutException("No answer to " + what));
        }
        return true;
    }

    private long commandTimeoutNanos() {
        if (redis.getRequiredConnectionFactory() instanceof LettuceConnectionFactory lettuce) {
            return TimeUnit.MILLISECONDS.toNanos(lettuce.getTimeout());
        }
        return TimeUnit.SECONDS.toNanos(60);
    }

    /** Whether a call now only writes to Lettuce's open connection: nothing to connect or look up first. */
    boolean connected() {
        RedisClusterAsyncCommands<byte[], byte[]> known = shared;
        return known != null && known.isOpen();
    }

    @SuppressWarnings("unchecked")
    private RedisClusterAsyncCommands<byte[], byte[]> asyncCommands() {
        RedisClusterAsyncCommands<byte[], byte[]> known = shared;
        if (known != null && known.isOpen()) {
            return known;
        }
        // closing this handle leaves Lettuce's shared connection, and the commands sent on it, alone
        try (RedisConnection connection = redis.getRequiredConnectionFactory().getConnection()) {
            if (connection.getNativeConnection() instanceof RedisClusterAsyncCommands<?, ?> commands) {
                shared = (RedisClusterAsyncCommands<byte[], byte[]>) commands;
                return shared;
            }
            return null;
        }
    }

    private static void complete(
            CompletableFuture<List<?>> reply, String what, List<Object> answer, Throwable failure) {
        if (failure != null) {
            reply.completeExceptionally(RedisFailures.translate(what, failure));
            return;
        }
        try {
            reply.complete(nonEmpty(what, strings(answer)));
        } catch (RuntimeException ex) {
            reply.completeExceptionally(ex);
        }
    }

    private static List<?> nonEmpty(String what, List<?> answer) {
        if (answer == null || answer.isEmpty()) {
            throw new IllegalStateException("A Lua script answered nothing to " + what);
        }
        return answer;
    }

    private static List<Object> strings(List<?> answer) {
        if (answer == null) {
            return null;
        }
        List<Object> converted = new ArrayList<>(answer.size());
        for (Object element : answer) {
            if (element instanceof byte[] bulk) {
                converted.add(new String(bulk, StandardCharsets.UTF_8));
            } else if (element instanceof List<?> nested) {
                converted.add(strings(nested));
            } else {
                converted.add(element);
            }
        }
        return converted;
    }

    private static byte[][] bytes(List<String> values) {
        byte[][] bytes = new byte[values.size()][];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = utf8(values.get(i));
        }
        return bytes;
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The script's text, read once: a script built from a Resource would check the jar entry for changes on every
     * call (its SHA1 is recomputed through the jar's URL connection), which showed up in profiles of every submit.
     */
    @SuppressWarnings("rawtypes")
    static RedisScript<List> script(String name) {
        try (InputStream in = new ClassPathResource("io/coedit/cluster/" + name + ".lua").getInputStream()) {
            return RedisScript.of(new String(in.readAllBytes(), StandardCharsets.UTF_8), List.class);
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot read " + name + ".lua", ex);
        }
    }
}
