package io.coedit.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import lombok.extern.slf4j.Slf4j;

import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import io.coedit.events.EventBus;
import io.coedit.events.EventListener;
import io.coedit.events.EventRouter;
import io.coedit.events.EventTarget;
import io.coedit.events.EventsUnavailableException;
import io.coedit.security.TokenRevocations;
import io.coedit.system.LifecyclePhases;

/**
 * Events and revocations over Redis pub/sub: one channel for everyone, one per document and one per user, each
 * published once whatever the number of recipients. An instance subscribes to a document's or a user's channel
 * while it has a session listening to it. Messages are dispatched on the relay's one thread, in the order Redis
 * delivered them, into sessions' outboxes, so a slow session never holds up the others. Every instance, including
 * the publisher, delivers from the channel.
 *
 * <p>Revocations go to a hash (for instances that start later or missed the message) and to one channel; each
 * instance reloads the hash every {@code coedit.cluster.revocation-reload}.
 */
@Slf4j
class RedisEventBus implements EventBus, MessageListener, SmartLifecycle {

    private final RedisMessageListenerContainer container;
    private final StringRedisTemplate redis;
    private final RelayChannels channels;
    private final TokenRevocations revocations;
    private final ScheduledExecutorService timer;
    private final long reloadMillis;
    private final Map<String, TargetListener> listenersByChannel = new ConcurrentHashMap<>();
    private final AtomicBoolean listeningToEveryone = new AtomicBoolean();
    private final EventRouter router;
    private ScheduledFuture<?> reload;

    RedisEventBus(
            RedisMessageListenerContainer container,
            StringRedisTemplate redis,
            RelayChannels channels,
            TokenRevocations revocations,
            ScheduledExecutorService timer,
            Duration reloadInterval) {
        this.reloadMillis = reloadInterval.toMillis();
        this.container = container;
        this.redis = redis;
        this.channels = channels;
        this.revocations = revocations;
        this.timer = timer;
        this.router = new EventRouter(new EventRouter.TargetWatcher() {
            @Override
            public void opened(EventTarget target) {
                subscribe(target);
            }

            @Override
            public void closed(EventTarget target) {
                unsubscribe(target);
            }
        });
    }

    @Override
    public void start() {
        if (listeningToEveryone.compareAndSet(false, true)) {
            // once: a start after a stop (a paused test context) finds the listener still registered
            container.addMessageListener(
                    this,
                    List.of(
                            new ChannelTopic(channels.everyoneEvents()),
                            new ChannelTopic(channels.revocationsChannel())));
        }
        reload = timer.scheduleWithFixedDelay(this::reloadRevocations, 0, reloadMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (reload != null) {
            reload.cancel(false);
        }
    }

    @Override
    public boolean isRunning() {
        return reload != null && !reload.isCancelled();
    }

    @Override
    public int getPhase() {
        return LifecyclePhases.CLUSTER;
    }

    @Override
    public void publish(EventTarget target, String frame) {
        try {
            redis.convertAndSend(channel(target), frame);
        } catch (DataAccessException ex) {
            throw new EventsUnavailableException("Redis did not take the event", ex);
        }
    }

    @Override
    public void revoke(String userId, TokenRevocations.Revocation revocation) {
        String encoded = encode(revocation);
        try {
            redis.opsForHash().put(channels.revokedUsers(), userId, encoded);
            redis.convertAndSend(channels.revocationsChannel(), userId + "\n" + encoded);
        } catch (DataAccessException ex) {
            throw new EventsUnavailableException("Redis did not take the revocation", ex);
        }
        // here at once; the other instances (and this one again) when the message arrives
        apply(userId, revocation);
    }

    @Override
    public Registration listen(EventTarget target, EventListener listener) {
        return router.add(target, listener);
    }

    @Override
    public void onMessage(Message message, byte[] pattern) {
        // a bad message must never kill the relay's thread: log it and go on
        try {
            String channel = new String(message.getChannel(), StandardCharsets.UTF_8);
            String body = new String(message.getBody(), StandardCharsets.UTF_8);
            if (channels.revocationsChannel().equals(channel)) {
                int newline = body.indexOf('\n');
                apply(body.substring(0, newline), decode(body.substring(newline + 1)));
                return;
            }
            // this bus listens to the revocations and to everyone's events; each other channel has its own listener
            router.dispatch(EventTarget.EVERYONE, body);
        } catch (RuntimeException ex) {
            log.warn("Dropped an event message: {}", ex.toString());
        }
    }

    /** Learns every revocation still in force, and forgets those past their lifetime, here and in Redis. */
    void reloadRevocations() {
        try {
            Instant now = Instant.now();
            for (Map.Entry<Object, Object> entry :
                    redis.opsForHash().entries(channels.revokedUsers()).entrySet()) {
                TokenRevocations.Revocation revocation = decode((String) entry.getValue());
                if (now.isBefore(revocation.keepUntil())) {
                    revocations.record((String) entry.getKey(), revocation);
                } else {
                    redis.opsForHash().delete(channels.revokedUsers(), entry.getKey());
                }
            }
            revocations.forgetExpired();
        } catch (RuntimeException ex) {
            log.debug("Reading the revocations failed: {}", ex.getMessage());
        }
    }

    private void apply(String userId, TokenRevocations.Revocation revocation) {
        revocations.record(userId, revocation);
        router.revoked(userId);
    }

    private void subscribe(EventTarget target) {
        if (target instanceof EventTarget.Everyone) {
            return;
        }
        String channel = channel(target);
        TargetListener listener = new TargetListener(target);
        listenersByChannel.put(channel, listener);
        container.addMessageListener(listener, new ChannelTopic(channel));
    }

    /**
     * Silences the channel's listener at once, and unsubscribes on the timer: the container's unsubscribe waits on
     * Redis, and this runs where the target's last session left (a request thread, often). A listener for the same
     * channel subscribed meanwhile is another object, so the late removal never touches it.
     */
    private void unsubscribe(EventTarget target) {
        if (target instanceof EventTarget.Everyone) {
            return;
        }
        String channel = channel(target);
        TargetListener listener = listenersByChannel.remove(channel);
        if (listener == null) {
            return;
        }
        listener.detached = true;
        Runnable removal = () -> container.removeMessageListener(listener, new ChannelTopic(channel));
        try {
            timer.execute(removal);
        } catch (RejectedExecutionException ex) {
            removal.run(); // the instance is stopping
        }
    }

    private String channel(EventTarget target) {
        if (target instanceof EventTarget.Document document) {
            return channels.documentEvents(document.id());
        }
        if (target instanceof EventTarget.User user) {
            return channels.userEvents(user.userId());
        }
        return channels.everyoneEvents();
    }

    private static String encode(TokenRevocations.Revocation revocation) {
        return revocation.cutoff().toEpochMilli() + " " + revocation.keepUntil().toEpochMilli();
    }

    private static TokenRevocations.Revocation decode(String encoded) {
        int space = encoded.indexOf(' ');
        return new TokenRevocations.Revocation(
                Instant.ofEpochMilli(Long.parseLong(encoded.substring(0, space))),
                Instant.ofEpochMilli(Long.parseLong(encoded.substring(space + 1))));
    }

    /**
     * The listener of one document's or user's channel. One object per channel, not this bus for all of them: the
     * listener container keeps each listener's channels in a copy-on-write set, so one listener for thousands of
     * user channels made every new subscription copy all of them (4% of the instance's CPU opening 12,000 sessions
     * of 5,000 users, and growing with the users).
     */
    private final class TargetListener implements MessageListener {

        private final EventTarget target;
        /** Its target lost its last session here; the unsubscribe may still be on its way. */
        private volatile boolean detached;

        TargetListener(EventTarget target) {
            this.target = target;
        }

        @Override
        public void onMessage(Message message, byte[] pattern) {
            if (detached) {
                return; // a listener subscribed since for the same channel delivers it, once
            }
            try {
                router.dispatch(target, new String(message.getBody(), StandardCharsets.UTF_8));
            } catch (RuntimeException ex) {
                log.warn("Dropped an event message: {}", ex.toString());
            }
        }
    }
}
