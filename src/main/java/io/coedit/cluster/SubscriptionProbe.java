package io.coedit.cluster;

import java.nio.charset.StandardCharsets;

import lombok.extern.slf4j.Slf4j;

import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Checks the relay end to end: this instance publishes to its own probe channel and expects to hear it back.
 * Listener containers are known to go silent after a Redis reconnect while looking healthy, so silence means
 * resubscribe; and whenever probes come back after silence, messages may have been lost meanwhile, so every
 * room catches up from the op log.
 */
@Slf4j
class SubscriptionProbe implements MessageListener {

    static final long SILENCE_MILLIS = 6_000;

    private final RedisMessageListenerContainer container;
    private final ReactiveStringRedisTemplate redis;
    private final String channel;
    private final Runnable resynchronize;
    private volatile long lastHeardMillis = System.currentTimeMillis();
    private volatile boolean silent;
    private volatile long lastRestartMillis;

    SubscriptionProbe(RedisMessageListenerContainer container, ReactiveStringRedisTemplate redis, RelayChannels channels,
            InstanceId instanceId, Runnable resynchronize) {
        this.container = container;
        this.redis = redis;
        this.channel = channels.probeChannel(instanceId.value());
        this.resynchronize = resynchronize;
        container.addMessageListener(this, new ChannelTopic(channel));
    }

    /**
     * Probing begins now: the silence is counted from here, not from when this bean was made, so a slow start-up
     * does not report the relay silent (readiness DOWN, a needless resubscribe) before the first probe went out.
     */
    void begin() {
        lastHeardMillis = System.currentTimeMillis();
    }

    /** Called periodically: sends a probe and acts on a silence. */
    void check() {
        redis.convertAndSend(channel, Long.toString(System.currentTimeMillis()))
                .subscribe(null, ex -> log.debug("Probe publish failed: {}", ex.getMessage()));
        long now = System.currentTimeMillis();
        if (now - lastHeardMillis > SILENCE_MILLIS && now - lastRestartMillis > SILENCE_MILLIS) {
            silent = true;
            lastRestartMillis = now;
            log.warn("Redis pub/sub is silent; resubscribing");
            try {
                container.stop();
                container.start();
            }
            catch (RuntimeException ex) {
                log.warn("Resubscribing failed, will retry: {}", ex.toString());
            }
        }
    }

    boolean healthy() {
        return System.currentTimeMillis() - lastHeardMillis <= SILENCE_MILLIS;
    }

    @Override
    public void onMessage(Message message, byte[] pattern) {
        if (!channel.equals(new String(message.getChannel(), StandardCharsets.UTF_8))) {
            return;
        }
        long previous = lastHeardMillis;
        lastHeardMillis = System.currentTimeMillis();
        if (silent || lastHeardMillis - previous > SILENCE_MILLIS) {
            silent = false;
            log.info("Redis pub/sub is back; catching up from the op log");
            resynchronize.run();
        }
    }
}
