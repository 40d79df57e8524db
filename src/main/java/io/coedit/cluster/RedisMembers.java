package io.coedit.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import lombok.extern.slf4j.Slf4j;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.coedit.document.DocumentId;
import io.coedit.document.PresenceUpdate;

/**
 * Who is in each document across instances: a Redis hash per document (session id to member entry with a
 * {@code seen} time). Each instance refreshes its own sessions' entries; an entry not refreshed within
 * {@code coedit.cluster.presence-ttl} belongs to a dead instance and is swept — by whichever instance deletes it first,
 * which also announces the leave — so no ghost cursor outlives its instance for long.
 */
@Slf4j
class RedisMembers {

    private final ReactiveStringRedisTemplate redis;
    private final StringRedisTemplate blockingRedis;
    private final RelayChannels channels;
    private final String instanceId;
    private final RelayPayloads payloads;
    private final Map<DocumentId, Map<String, PresenceUpdate>> local = new ConcurrentHashMap<>();
    private final long memberTtlMillis;
    /** The members hash itself expires once no instance refreshes it: no presence key outlives its members. */
    private final Duration hashTtl;

    RedisMembers(
            ReactiveStringRedisTemplate redis,
            StringRedisTemplate blockingRedis,
            RelayChannels channels,
            InstanceId instanceId,
            RelayPayloads payloads,
            Duration memberTtl) {
        this.memberTtlMillis = memberTtl.toMillis();
        this.hashTtl = memberTtl.multipliedBy(2);
        this.redis = redis;
        this.blockingRedis = blockingRedis;
        this.channels = channels;
        this.instanceId = instanceId.value();
        this.payloads = payloads;
    }

    /** Records a local session's presence and returns the message that announces it. */
    String record(DocumentId id, PresenceUpdate update) {
        String json = payloads.write(RelayPayloads.PresenceMessage.of(instanceId, update, System.currentTimeMillis()));
        String key = channels.members(id);
        if (update.kind() == PresenceUpdate.Kind.LEAVE) {
            local.computeIfPresent(id, (doc, sessions) -> {
                sessions.remove(update.clientId());
                return sessions.isEmpty() ? null : sessions;
            });
            redis.opsForHash().remove(key, update.clientId()).subscribe(null, this::logFailure);
        } else {
            local.computeIfAbsent(id, doc -> new ConcurrentHashMap<>()).put(update.clientId(), update);
            // cursors move many times a second: the hash gets the latest one with the next refresh, not each move
            if (update.kind() == PresenceUpdate.Kind.JOIN) {
                redis.opsForHash()
                        .put(key, update.clientId(), json)
                        .then(redis.expire(key, hashTtl))
                        .subscribe(null, this::logFailure);
            }
        }
        return json;
    }

    /** Sessions of other instances in the document, without entries past their expiry. */
    List<PresenceUpdate> remote(DocumentId id) {
        long oldest = System.currentTimeMillis() - memberTtlMillis;
        List<PresenceUpdate> members = new ArrayList<>();
        for (Object value : blockingRedis.opsForHash().values(channels.members(id))) {
            RelayPayloads.PresenceMessage member = payloads.presence((String) value);
            if (!instanceId.equals(member.origin()) && member.seen() >= oldest) {
                members.add(member.toUpdate().withKind(PresenceUpdate.Kind.JOIN));
            }
        }
        return members;
    }

    /**
     * Rewrites this instance's entries with a fresh {@code seen}, so others know its sessions are alive: one
     * {@code HSET} per document with all of its entries, not one per session (10,000 idle sessions were a burst of
     * 10,000 commands every refresh, queued in Redis ahead of the commits).
     */
    void refresh() {
        long now = System.currentTimeMillis();
        local.forEach((id, sessions) -> {
            Map<String, String> entries = new HashMap<>();
            sessions.values()
                    .forEach(update -> entries.put(
                            update.clientId(),
                            payloads.write(RelayPayloads.PresenceMessage.of(instanceId, update, now))));
            if (entries.isEmpty()) {
                return;
            }
            String key = channels.members(id);
            redis.opsForHash()
                    .putAll(key, entries)
                    .then(redis.expire(key, hashTtl))
                    .subscribe(null, this::logFailure);
        });
    }

    /**
     * Deletes expired entries of a document and returns the ones this instance deleted (so it announces them);
     * {@code HDEL} answers 1 to exactly one instance, so each ghost is announced once.
     */
    List<PresenceUpdate> sweep(DocumentId id) {
        long oldest = System.currentTimeMillis() - memberTtlMillis;
        String key = channels.members(id);
        List<PresenceUpdate> removed = new ArrayList<>();
        for (Map.Entry<Object, Object> entry :
                blockingRedis.opsForHash().entries(key).entrySet()) {
            RelayPayloads.PresenceMessage member = payloads.presence((String) entry.getValue());
            if (member.seen() < oldest
                    && !instanceId.equals(member.origin())
                    && blockingRedis.opsForHash().delete(key, entry.getKey()) == 1) {
                removed.add(member.toUpdate().withKind(PresenceUpdate.Kind.LEAVE));
            }
        }
        return removed;
    }

    /**
     * On shutdown, after the sessions closed: deletes every entry of this instance in the documents it knew, and
     * announces each as gone, waiting for Redis. A leave published without waiting just before (as sessions close)
     * may not have left the process: this makes sure no other instance keeps a ghost of ours.
     */
    void removeAll(Iterable<DocumentId> documents) {
        Set<DocumentId> known = new HashSet<>(local.keySet());
        documents.forEach(known::add);
        long now = System.currentTimeMillis();
        for (DocumentId id : known) {
            String key = channels.members(id);
            for (Map.Entry<Object, Object> entry :
                    blockingRedis.opsForHash().entries(key).entrySet()) {
                RelayPayloads.PresenceMessage member = payloads.presence((String) entry.getValue());
                if (instanceId.equals(member.origin())
                        && blockingRedis.opsForHash().delete(key, entry.getKey()) == 1) {
                    PresenceUpdate leave = member.toUpdate().withKind(PresenceUpdate.Kind.LEAVE);
                    blockingRedis.convertAndSend(
                            channels.presenceChannel(id),
                            payloads.write(RelayPayloads.PresenceMessage.of(instanceId, leave, now)));
                }
            }
        }
        local.clear();
    }

    private void logFailure(Throwable ex) {
        log.debug("Presence write failed: {}", ex.getMessage());
    }
}
