package io.coedit.cluster;

import java.util.List;
import java.util.function.Supplier;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.data.redis.RedisSystemException;

import io.coedit.document.DocumentStoreUnavailableException;

/**
 * Sorts Redis failures into "unavailable, retry" and "bug". An unreachable, loading or failing-over Redis becomes
 * {@link DocumentStoreUnavailableException}; an error reply that no retry can fix (a script error, a key of the
 * wrong type) becomes {@link IllegalStateException}, so that it is logged and fixed rather than retried forever.
 */
final class RedisFailures {

    /** Error codes with which Redis refuses a command that may well succeed later; all write nothing. */
    private static final List<String> TRANSIENT_CODES = List.of(
            "LOADING",
            "BUSY",
            "MASTERDOWN",
            "CLUSTERDOWN",
            "TRYAGAIN",
            "READONLY",
            "NOREPLICAS",
            "OOM",
            "MOVED",
            "ASK");

    private RedisFailures() {}

    static <T> T call(String what, Supplier<T> command) {
        try {
            return command.get();
        } catch (DataAccessResourceFailureException | TransientDataAccessException ex) {
            throw unavailable(what, ex);
        } catch (RedisSystemException | RedisException ex) {
            RedisCommandExecutionException reply = errorReply(ex);
            if (reply == null || isTransient(reply.getMessage())) {
                // no error reply: the client gave up (disconnected, interrupted) before Redis answered
                throw unavailable(what, ex);
            }
            throw new IllegalStateException("Redis refused to " + what + ": " + reply.getMessage(), ex);
        }
    }

    private static RedisCommandExecutionException errorReply(Throwable ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof RedisCommandExecutionException reply) {
                return reply;
            }
        }
        return null;
    }

    static boolean isTransient(String message) {
        if (message == null) {
            return false;
        }
        // a write inside a script that hits maxmemory fails as "ERR Error running script ... OOM command not allowed"
        if (message.contains("OOM command not allowed")) {
            return true;
        }
        int end = message.indexOf(' ');
        String code = end < 0 ? message : message.substring(0, end);
        return TRANSIENT_CODES.contains(code);
    }

    private static DocumentStoreUnavailableException unavailable(String what, Exception ex) {
        return new DocumentStoreUnavailableException("Redis is unavailable, could not " + what, ex);
    }
}
