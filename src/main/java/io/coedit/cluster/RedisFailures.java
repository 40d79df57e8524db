package io.coedit.cluster;

import java.util.List;
import java.util.concurrent.CompletionException;
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
            throw translate(what, ex);
        }
    }

    /**
     * What a failed Redis command means for its caller: unavailable (retry) unless Redis answered with an error no
     * retry can fix. For the failures of Lettuce's futures, which Spring does not translate.
     */
    static RuntimeException translate(String what, Throwable failure) {
        Throwable ex =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (ex instanceof DocumentStoreUnavailableException unavailable) {
            return unavailable;
        }
        if (ex instanceof DataAccessResourceFailureException || ex instanceof TransientDataAccessException) {
            return unavailable(what, (Exception) ex);
        }
        if (!(ex instanceof RedisSystemException) && !(ex instanceof RedisException)) {
            return ex instanceof RuntimeException runtime ? runtime : new IllegalStateException(ex);
        }
        RedisCommandExecutionException reply = errorReply(ex);
        if (reply == null || isTransient(reply.getMessage())) {
            // no error reply: the client gave up (disconnected, interrupted, timed out) before Redis answered
            return unavailable(what, (Exception) ex);
        }
        return new IllegalStateException("Redis refused to " + what + ": " + reply.getMessage(), ex);
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
