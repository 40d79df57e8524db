package io.coedit.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import lombok.extern.slf4j.Slf4j;

import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations;
import org.springframework.data.redis.core.script.RedisScript;

import io.coedit.document.DocumentId;
import io.coedit.document.PresenceUpdate;

/**
 * Who is in each document across instances: a Redis hash per document (session id to member entry), written when a
 * session joins, when its cursor moved and once a minute in any case, and a sorted set of the live instances, each
 * scored by its last heartbeat. A member is alive while its instance is: an instance beats once per
 * {@code coedit.cluster.presence-refresh}, and one whose beat is older than {@code coedit.cluster.presence-ttl} is
 * dead. Its entries are then swept from the documents the others have open, by whichever instance deletes each first,
 * which also announces the leave, so no ghost cursor outlives its instance for long.
 *
 * <p>Liveness is per instance, not per entry: an idle cluster's round is one beat and one read of the instances,
 * whatever the number of sessions (rewriting and re-reading every entry each round made 10,000 idle sessions a
 * burst of JSON and Redis work every 5 s). Entries carry the instance's {@link #origin}, which is new in every
 * process, so a restarted instance with a configured id never revives its previous life's sessions.
 */
@Slf4j
class RedisMembers {

    /** Dead instances stay listed this many TTLs, so every live one sees them dead in several rounds. */
    private static final int DEAD_LISTED_FOR_TTLS = 4;

    /**
     * How often an instance writes all of its entries again even when nothing asks for it: the hash may have lost
     * some without the instance knowing (evicted by a Redis at its memory limit, or swept by an instance of an older
     * version during a rolling upgrade, which judged entries by their write time).
     */
    private static final Duration FULL_REWRITE_AT_LEAST_EVERY = Duration.ofMinutes(1);

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> PRESENCE = RedisScriptCalls.script("presence");

    private final RedisScriptCalls scripts;
    private final StringRedisTemplate blockingRedis;
    private final RelayChannels channels;
    private final String origin;
    private final RelayPayloads payloads;
    private final Map<DocumentId, Map<String, PresenceUpdate>> local = new ConcurrentHashMap<>();
    /** Local sessions whose entry changed since the last round (cursor moves), per document. */
    private final Map<DocumentId, Set<String>> moved = new ConcurrentHashMap<>();

    private final long memberTtlMillis;
    /** The members hash itself expires once no instance refreshes it: no presence key outlives its members. */
    private final Duration hashTtl;
    /** The same in ms, as presence.lua takes it. */
    private final String hashTtlMillis;

    private final long fullRewriteMillis;
    private long lastBeatMillis;
    private long lastFullRewriteMillis;
    /** The dead instances this instance already swept from its documents (only the upkeep thread uses it). */
    private Set<String> sweptDead = Set.of();

    RedisMembers(
            StringRedisTemplate blockingRedis,
            RelayChannels channels,
            InstanceId instanceId,
            RelayPayloads payloads,
            Duration memberTtl) {
        this.memberTtlMillis = memberTtl.toMillis();
        this.hashTtl = memberTtl.multipliedBy(2);
        this.hashTtlMillis = Long.toString(hashTtl.toMillis());
        this.fullRewriteMillis = Math.max(
                FULL_REWRITE_AT_LEAST_EVERY.toMillis(),
                memberTtl.multipliedBy(DEAD_LISTED_FOR_TTLS).toMillis());
        this.blockingRedis = blockingRedis;
        this.scripts = new RedisScriptCalls(blockingRedis);
        this.channels = channels;
        this.origin = instanceId.value() + "/" + UUID.randomUUID();
        this.payloads = payloads;
    }

    /** This process in presence messages and entries: the instance id and a per-process suffix. */
    String origin() {
        return origin;
    }

    /**
     * Records a local session's presence and announces it to the other instances, each change by one script in one
     * round trip: a join or a leave is written to the document's hash and published, a cursor move only published.
     */
    void announce(DocumentId id, PresenceUpdate update) {
        String json = payloads.write(RelayPayloads.PresenceMessage.of(origin, update, System.currentTimeMillis()));
        String kind;
        if (update.kind() == PresenceUpdate.Kind.LEAVE) {
            kind = "leave";
            local.computeIfPresent(id, (doc, sessions) -> {
                sessions.remove(update.clientId());
                return sessions.isEmpty() ? null : sessions;
            });
            moved.computeIfPresent(id, (doc, sessions) -> {
                sessions.remove(update.clientId());
                return sessions.isEmpty() ? null : sessions;
            });
        } else {
            local.computeIfAbsent(id, doc -> new ConcurrentHashMap<>()).put(update.clientId(), update);
            if (update.kind() == PresenceUpdate.Kind.JOIN) {
                kind = "join";
            } else {
                kind = "cursor";
                // cursors move many times a second: the hash gets the latest one with the next round, not each move
                // inside compute, so a round that takes this document's set either sees the move or leaves it
                moved.compute(id, (doc, sessions) -> {
                    Set<String> changed = sessions != null ? sessions : ConcurrentHashMap.newKeySet();
                    changed.add(update.clientId());
                    return changed;
                });
            }
        }
        // every kind through the script: a cursor move leaves on the connection its join went on, never before it
        scripts.run(
                        "announce presence in " + id,
                        PRESENCE,
                        List.of(channels.members(id)),
                        List.of(kind, update.clientId(), json, hashTtlMillis, channels.presenceChannel(id)))
                .whenComplete((reply, failure) -> {
                    if (failure != null) {
                        logFailure(failure);
                    }
                });
    }

    /** Sessions of other live instances in the document. */
    List<PresenceUpdate> remote(DocumentId id) {
        Collection<Object> entries = blockingRedis.opsForHash().values(channels.members(id));
        if (entries.isEmpty()) {
            return List.of();
        }
        // read after the entries: an entry read was written after its instance's first beat, so it is listed
        Instances instances = instances(System.currentTimeMillis());
        List<PresenceUpdate> members = new ArrayList<>();
        for (Object value : entries) {
            RelayPayloads.PresenceMessage member = payloads.presence((String) value);
            if (!origin.equals(member.origin()) && instances.alive(member)) {
                members.add(member.toUpdate().withKind(PresenceUpdate.Kind.JOIN));
            }
        }
        return members;
    }

    /**
     * This instance's heartbeat, and the entries it owes Redis: moved cursors, or every entry when the beat finds
     * this instance unlisted or late (Redis lost its data, or others took it for dead and swept its entries), and
     * once a minute regardless. Each document's hash has its expiry renewed: the beat, then one pipelined round
     * trip.
     */
    void refresh() {
        long now = System.currentTimeMillis();
        Boolean firstBeat = blockingRedis.opsForZSet().add(channels.instances(), origin, now);
        boolean late = lastBeatMillis != 0 && now - lastBeatMillis > memberTtlMillis;
        boolean rewriteAll = Boolean.TRUE.equals(firstBeat) || late || now - lastFullRewriteMillis >= fullRewriteMillis;
        lastBeatMillis = now;
        if (rewriteAll) {
            lastFullRewriteMillis = now;
        }
        Map<DocumentId, Map<String, String>> writes = new HashMap<>();
        local.forEach((id, sessions) -> {
            Map<String, String> entries = new HashMap<>();
            Set<String> changed = drain(moved.remove(id));
            for (String clientId : rewriteAll ? sessions.keySet() : changed) {
                PresenceUpdate update = sessions.get(clientId);
                if (update != null) {
                    entries.put(clientId, payloads.write(RelayPayloads.PresenceMessage.of(origin, update, now)));
                }
            }
            writes.put(id, entries);
        });
        if (writes.isEmpty()) {
            return;
        }
        Map<String, Map<String, String>> entriesByKey = new HashMap<>();
        writes.forEach((id, entries) -> entriesByKey.put(channels.members(id), entries));
        if (!scripts.writeHashes("refresh presence", entriesByKey, hashTtl)) {
            writePipelined(entriesByKey);
        }
        // a session that left while its entry was being written: its own delete may have reached Redis first
        writes.forEach((id, entries) -> entries.keySet().forEach(clientId -> {
            Map<String, PresenceUpdate> sessions = local.get(id);
            if (sessions == null || !sessions.containsKey(clientId)) {
                blockingRedis.opsForHash().delete(channels.members(id), clientId);
            }
        }));
    }

    /**
     * When an instance is dead: deletes its entries in {@code documents} and returns the ones this instance deleted,
     * per document (so it announces them); {@code HDEL} answers 1 to exactly one instance, so each ghost is announced
     * once. While every instance beats, or every dead one was swept already, this is a prune and a read of the
     * instances and nothing else.
     */
    Map<DocumentId, List<PresenceUpdate>> sweep(Iterable<DocumentId> documents) {
        long now = System.currentTimeMillis();
        blockingRedis
                .opsForZSet()
                .removeRangeByScore(channels.instances(), 0, now - DEAD_LISTED_FOR_TTLS * memberTtlMillis);
        Instances instances = instances(now);
        Set<String> dead = instances.dead();
        // once this instance swept a dead one from its documents, later rounds need not read them again for it
        if (sweptDead.containsAll(dead)) {
            sweptDead = dead;
            return Map.of();
        }
        Map<DocumentId, List<PresenceUpdate>> removed = new HashMap<>();
        for (DocumentId id : documents) {
            String key = channels.members(id);
            for (Map.Entry<Object, Object> entry :
                    blockingRedis.opsForHash().entries(key).entrySet()) {
                RelayPayloads.PresenceMessage member = payloads.presence((String) entry.getValue());
                if (instances.dead(member) && blockingRedis.opsForHash().delete(key, entry.getKey()) == 1) {
                    removed.computeIfAbsent(id, doc -> new ArrayList<>())
                            .add(member.toUpdate().withKind(PresenceUpdate.Kind.LEAVE));
                }
            }
        }
        sweptDead = dead;
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
                if (origin.equals(member.origin()) && blockingRedis.opsForHash().delete(key, entry.getKey()) == 1) {
                    PresenceUpdate leave = member.toUpdate().withKind(PresenceUpdate.Kind.LEAVE);
                    blockingRedis.convertAndSend(
                            channels.presenceChannel(id),
                            payloads.write(RelayPayloads.PresenceMessage.of(origin, leave, now)));
                }
            }
        }
        blockingRedis.opsForZSet().remove(channels.instances(), origin);
        local.clear();
        moved.clear();
    }

    /** The same through the template, for a connection that is not Lettuce's standalone one. */
    private void writePipelined(Map<String, Map<String, String>> entriesByKey) {
        blockingRedis.executePipelined(new SessionCallback<Object>() {
            @Override
            @SuppressWarnings({"unchecked", "rawtypes"})
            public Object execute(RedisOperations operations) {
                entriesByKey.forEach((key, entries) -> {
                    if (!entries.isEmpty()) {
                        operations.opsForHash().putAll(key, entries);
                    }
                    operations.expire(key, hashTtl);
                });
                return null;
            }
        });
    }

    private Instances instances(long now) {
        Set<ZSetOperations.TypedTuple<String>> beats =
                blockingRedis.opsForZSet().rangeWithScores(channels.instances(), 0, -1);
        Map<String, Long> lastBeat = new HashMap<>();
        if (beats != null) {
            beats.forEach(beat -> lastBeat.put(beat.getValue(), beat.getScore().longValue()));
        }
        return new Instances(lastBeat, now - memberTtlMillis, origin);
    }

    private static Set<String> drain(Set<String> changed) {
        return changed == null ? Set.of() : changed;
    }

    private void logFailure(Throwable ex) {
        log.debug("Presence write failed: {}", ex.getMessage());
    }

    /**
     * The instances' last beats as read at one moment. An entry whose instance is not listed at all is judged by
     * when it was written: an instance that beat after the read wrote its entries after that beat, so they are young.
     */
    private record Instances(Map<String, Long> lastBeat, long oldestAlive, String self) {

        /** The listed instances whose beat is too old. */
        Set<String> dead() {
            Set<String> dead = new HashSet<>();
            lastBeat.forEach((origin, beat) -> {
                if (!origin.equals(self) && beat < oldestAlive) {
                    dead.add(origin);
                }
            });
            return dead;
        }

        boolean alive(RelayPayloads.PresenceMessage member) {
            Long beat = lastBeat.get(member.origin());
            return beat != null ? beat >= oldestAlive : member.seen() >= oldestAlive;
        }

        boolean dead(RelayPayloads.PresenceMessage member) {
            return !self.equals(member.origin()) && !alive(member);
        }
    }
}
