package io.coedit.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import lombok.extern.slf4j.Slf4j;

import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import io.coedit.document.DocumentId;
import io.coedit.document.DocumentRelay;
import io.coedit.document.DocumentStore;
import io.coedit.document.LogEntryCodec;
import io.coedit.document.PresenceUpdate;
import io.coedit.document.RelayListener;
import io.coedit.document.SubmitQueue;

/**
 * The relay over Redis pub/sub: one ops channel (published by the store's commit script) and one presence channel
 * per document. An instance listens to a document while it has sessions on it, and keeps listening for a grace
 * period after the last leaves, so a quick rejoin does not miss anything. Messages from this instance are dropped
 * (its own sessions got them directly). Publishing never waits for Redis.
 */
@Slf4j
class RedisDocumentRelay implements DocumentRelay {

    static final long UNSUBSCRIBE_GRACE_MILLIS = 5000;

    private final RedisMessageListenerContainer container;
    private final ReactiveStringRedisTemplate redis;
    private final RelayChannels channels;
    private final String instanceId;
    private final RelayPayloads payloads;
    private final RedisMembers members;
    private final ScheduledExecutorService timer;
    private final LogEntryCodec codec = new LogEntryCodec();
    private final DocumentStore store;
    private final Map<DocumentId, DocumentListener> listening = new ConcurrentHashMap<>();
    private final Timer relayLatency;
    /** How this instance's own ops messages begin (commit.lua and the SQL stores write the origin first). */
    private final byte[] ownOpsPrefix;

    RedisDocumentRelay(
            RedisMessageListenerContainer container,
            ReactiveStringRedisTemplate redis,
            RelayChannels channels,
            InstanceId instanceId,
            RelayPayloads payloads,
            RedisMembers members,
            ScheduledExecutorService timer,
            DocumentStore store,
            MeterRegistry registry) {
        this.relayLatency = Timer.builder("coedit.relay.latency")
                .description("From an op's commit on another instance to its arrival here (clocks must agree)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        this.store = store;
        this.container = container;
        this.redis = redis;
        this.channels = channels;
        this.instanceId = instanceId.value();
        this.ownOpsPrefix =
                ("{\"origin\":" + codec.encodeString(this.instanceId) + ",").getBytes(StandardCharsets.UTF_8);
        this.payloads = payloads;
        this.members = members;
        this.timer = timer;
    }

    @Override
    public Subscription subscribe(DocumentId id, RelayListener listener) {
        DocumentListener documentListener = listening.compute(id, (doc, existing) -> {
            if (existing != null) {
                existing.attach(listener);
                return existing;
            }
            DocumentListener created = new DocumentListener(id, listener);
            container.addMessageListener(created, created.topics());
            return created;
        });
        return () -> documentListener.detach(listener);
    }

    @Override
    public void publishPresence(DocumentId id, PresenceUpdate update) {
        members.announce(id, update);
    }

    @Override
    public List<PresenceUpdate> remoteMembers(DocumentId id) {
        return members.remote(id);
    }

    /** Announces a session of a dead instance as gone, here and to the other instances. */
    void announceGone(DocumentId id, PresenceUpdate leave) {
        String json =
                payloads.write(RelayPayloads.PresenceMessage.of(members.origin(), leave, System.currentTimeMillis()));
        redis.convertAndSend(channels.presenceChannel(id), json)
                .subscribe(null, ex -> log.debug("Presence publish for {} failed: {}", id, ex.getMessage()));
        DocumentListener listener = listening.get(id);
        if (listener != null) {
            listener.listener.presence(leave);
        }
    }

    /** After the relay lost messages (a reconnect): every room catches up from the log. */
    void resynchronizeAll() {
        listening.values().forEach(DocumentListener::resynchronize);
    }

    /** Documents this instance listens to. */
    Iterable<DocumentId> documents() {
        return listening.keySet();
    }

    /** Forwards one document's channels to the room listening to it. */
    private final class DocumentListener implements RelayListenerContainer.SortsOnArrival {
        private final DocumentId id;
        private final String opsChannel;
        private final byte[] opsChannelBytes;
        private volatile RelayListener listener;
        private ScheduledFuture<?> pendingUnsubscribe;

        DocumentListener(DocumentId id, RelayListener listener) {
            this.id = id;
            this.opsChannel = channels.opsChannel(id);
            this.opsChannelBytes = opsChannel.getBytes(StandardCharsets.UTF_8);
            this.listener = listener;
        }

        List<ChannelTopic> topics() {
            return List.of(new ChannelTopic(opsChannel), new ChannelTopic(channels.presenceChannel(id)));
        }

        synchronized void attach(RelayListener newListener) {
            if (pendingUnsubscribe != null) {
                pendingUnsubscribe.cancel(false);
                pendingUnsubscribe = null;
            }
            listener = newListener;
        }

        synchronized void detach(RelayListener oldListener) {
            if (listener != oldListener || pendingUnsubscribe != null) {
                return;
            }
            pendingUnsubscribe = timer.schedule(this::unsubscribe, UNSUBSCRIBE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        }

        private void unsubscribe() {
            listening.computeIfPresent(id, (doc, current) -> {
                synchronized (this) {
                    if (current != this || pendingUnsubscribe == null || pendingUnsubscribe.isCancelled()) {
                        return current;
                    }
                    container.removeMessageListener(this, topics());
                    return null;
                }
            });
        }

        void resynchronize() {
            listener.resynchronize();
        }

        /** This instance's own commits, which its sessions already have: no need to wake the relay's thread. */
        @Override
        public boolean dropsOnArrival(Message message) {
            return startsWith(message.getBody(), ownOpsPrefix) && isOps(message);
        }

        /**
         * Another instance's op for a few sessions here: a few writes that never wait (heals go to the timer). A busier
         * room's delivery (five hundred sockets for a fan-out) stays on the relay's thread, so that Lettuce's I/O
         * thread, which reads every message and reply on its connections, is not held up.
         */
        @Override
        public boolean handlesOnArrival(Message message) {
            return isOps(message) && listener.localSessions() <= SubmitQueue.SHORT_PATH_SESSIONS;
        }

        private boolean isOps(Message message) {
            return Arrays.equals(message.getChannel(), opsChannelBytes);
        }

        @Override
        public void onMessage(Message message, byte[] pattern) {
            // a bad message must never kill the listener thread: log it and go on
            try {
                byte[] bytes = message.getBody();
                if (isOps(message)) {
                    LogEntryCodec.PublishedOp published =
                            codec.decodePublished(new String(bytes, StandardCharsets.UTF_8));
                    if (!instanceId.equals(published.origin())) {
                        Duration took = Duration.between(published.op().timestamp(), Instant.now());
                        if (!took.isNegative()) {
                            relayLatency.record(took);
                        }
                        store.committedElsewhere(id, published.epoch(), published.op());
                        listener.committed(published.epoch(), published.op());
                    }
                } else {
                    RelayPayloads.PresenceMessage presence =
                            payloads.presence(new String(bytes, StandardCharsets.UTF_8));
                    if (!members.origin().equals(presence.origin())) {
                        listener.presence(presence.toUpdate());
                    }
                }
            } catch (RuntimeException ex) {
                log.warn("Dropped a relay message for {}: {}", id, ex.toString());
            }
        }
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }
}
