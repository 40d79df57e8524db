package io.coedit.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.function.LongSupplier;

import lombok.extern.slf4j.Slf4j;

import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Checks the relay end to end: this instance publishes to its own probe channel every few seconds, so a live
 * subscription always has something arriving. Listener containers are known to go silent after a Redis reconnect
 * while looking healthy, so silence (nothing arriving, probes included) means resubscribe; and when the probe is
 * heard again after silence, messages may have been lost meanwhile, so every room catches up from the op log.
 * Silence is judged by arrival, not by when the relay's thread got to a message: a thread running behind under load
 * is busy, not silent.
 */
@Slf4j
class SubscriptionProbe implements MessageListener {

    /** Probe intervals without any message before the subscription counts as silent. */
    static final int SILENT_INTERVALS = 3;

    private final RedisMessageListenerContainer container;
    private final ReactiveStringRedisTemplate redis;
    private final String channel;
    private final Clock clock;
    private final LongSupplier lastArrivalMillis;
    private final Runnable resynchronize;
    private final long silenceMillis;
    private volatile long begunMillis;
    private volatile boolean silent;
    private volatile long lastRestartMillis;

    /**
     * {@code lastArrivalMillis}: when Redis last delivered any message to the relay ({@link RelayThread});
     * {@code resynchronize}: every room catches up from the op log.
     */
    SubscriptionProbe(
            RedisMessageListenerContainer container,
            ReactiveStringRedisTemplate redis,
            RelayChannels channels,
            InstanceId instanceId,
            Clock clock,
            LongSupplier lastArrivalMillis,
            Runnable resynchronize,
            Duration probeInterval) {
        this.container = container;
        this.silenceMillis = SILENT_INTERVALS * probeInterval.toMillis();
        this.clock = clock;
        this.begunMillis = clock.millis();
        this.redis = redis;
        this.channel = channels.probeChannel(instanceId.value());
        this.lastArrivalMillis = lastArrivalMillis;
        this.resynchronize = resynchronize;
        container.addMessageListener(this, new ChannelTopic(channel));
    }

    /**
     * Probing begins now: the silence is counted from here, not from when this bean was made, so a slow start-up
     * does not report the relay silent (readiness DOWN, a needless resubscribe) before the first probe went out.
     */
    void begin() {
        begunMillis = clock.millis();
    }

    private long silentForMillis(long now) {
        return now - Math.max(begunMillis, lastArrivalMillis.getAsLong());
    }

    /** Called periodically: sends a probe and acts on a silence. */
    void check() {
        long now = clock.millis();
        redis.convertAndSend(channel, Long.toString(now))
                .subscribe(null, ex -> log.debug("Probe publish failed: {}", ex.getMessage()));
        if (silentForMillis(now) > silenceMillis && now - lastRestartMillis > silenceMillis) {
            silent = true;
            lastRestartMillis = now;
            log.warn("Redis pub/sub is silent; resubscribing");
            try {
                container.stop();
                container.start();
            } catch (RuntimeException ex) {
                log.warn("Resubscribing failed, will retry: {}", ex.toString());
            }
        }
    }

    boolean healthy() {
        return silentForMillis(clock.millis()) <= silenceMillis;
    }

    @Override
    public void onMessage(Message message, byte[] pattern) {
        if (!channel.equals(new String(message.getChannel(), StandardCharsets.UTF_8))) {
            return;
        }
        // on the relay's thread, after every message that arrived before this probe: catching up starts here
        if (silent) {
            silent = false;
            log.info("Redis pub/sub is back; catching up from the op log");
            resynchronize.run();
        }
    }
}
