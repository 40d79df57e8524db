package io.coedit.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import io.coedit.events.EventsUnavailableException;
import io.coedit.events.IdempotencyKeys;

/** Idempotency keys shared by every instance: one Redis string per key, expiring with the window. */
class RedisIdempotencyKeys implements IdempotencyKeys {

    /** Answers the claim holding the key, or claims it (nil): one atomic step, so two instances never both win. */
    private static final RedisScript<String> CLAIM = RedisScript.of("""
            local held = redis.call('GET', KEYS[1])
            if held then return held end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            return false""", String.class);

    /** Deletes the key only while it still holds this claim. */
    private static final RedisScript<Long> RELEASE = RedisScript.of("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0""", Long.class);

    private final StringRedisTemplate redis;
    private final RelayChannels channels;

    RedisIdempotencyKeys(StringRedisTemplate redis, RelayChannels channels) {
        this.redis = redis;
        this.channels = channels;
    }

    @Override
    public Optional<Claim> claim(String key, Claim claim, Duration window) {
        try {
            String held = redis.execute(
                    CLAIM, List.of(channels.idempotencyKey(key)), claim.encoded(), Long.toString(window.toMillis()));
            return Optional.ofNullable(held).map(Claim::decode);
        } catch (DataAccessException ex) {
            throw new EventsUnavailableException("Redis did not answer for the Idempotency-Key", ex);
        }
    }

    @Override
    public void release(String key, Claim claim) {
        try {
            redis.execute(RELEASE, List.of(channels.idempotencyKey(key)), claim.encoded());
        } catch (DataAccessException ex) {
            // the key then expires with its window: a retry within it answers the id of an event never delivered
            throw new EventsUnavailableException("Redis did not release the Idempotency-Key", ex);
        }
    }
}
