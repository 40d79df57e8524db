package io.coedit.cluster;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.core.StringRedisTemplate;

import io.coedit.document.DocumentId;
import io.coedit.document.PresenceUpdate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** One instance's presence entries in a real Redis, as its periodic refresh writes them. */
class RedisMembersIT {

    private static final Duration MEMBER_TTL = Duration.ofSeconds(30);

    private RedisInstances instances;
    private RedisMembers members;
    private final RelayChannels channels = new RelayChannels(RedisInstances.PREFIX);
    private final RelayPayloads payloads =
            new RelayPayloads(JsonMapper.builder().build());

    @BeforeEach
    void startInstance() {
        instances = RedisInstances.onNewRedis();
        members = new RedisMembers(
                new StringRedisTemplate(instances.newConnectionFactory()),
                channels,
                new InstanceId("instance-members"),
                payloads,
                MEMBER_TTL);
    }

    @AfterEach
    void stop() {
        if (instances != null) {
            instances.close();
        }
    }

    @Test
    void theRefreshRewritesLostEntriesAndMovedCursorsAndRenewsTheExpiryWithoutOpeningAConnection() {
        DocumentId doc = new DocumentId("members-" + System.nanoTime());
        String key = channels.members(doc);
        StringRedisTemplate admin = instances.admin();
        members.announce(doc, member("ada", PresenceUpdate.Kind.JOIN, 0));
        members.announce(doc, member("bob", PresenceUpdate.Kind.JOIN, 0));
        await().atMost(Duration.ofSeconds(5)).until(() -> admin.opsForHash().size(key) == 2);
        // as an evicting Redis, or an instance that took this one for dead, would leave it
        admin.delete(key);
        long acceptedBefore = instances.connectionsAccepted();

        members.refresh(); // the first beat: this instance was not listed, so it writes every entry again
        members.announce(doc, member("ada", PresenceUpdate.Kind.CURSOR, 7));
        members.refresh(); // a later beat: only the moved cursor

        assertThat(admin.opsForHash().keys(key)).containsExactlyInAnyOrder("ada", "bob");
        assertThat(payloads.presence((String) admin.opsForHash().get(key, "ada"))
                        .pos())
                .as("ada's cursor in the hash")
                .isEqualTo(7);
        assertThat(admin.getExpire(key))
                .isPositive()
                .isLessThanOrEqualTo(MEMBER_TTL.multipliedBy(2).toSeconds());
        assertThat(instances.connectionsAccepted())
                .as("connections Redis accepted during two presence refreshes")
                .isEqualTo(acceptedBefore);
    }

    private static PresenceUpdate member(String clientId, PresenceUpdate.Kind kind, int pos) {
        return new PresenceUpdate(kind, clientId, "user-" + clientId, clientId, pos, pos, pos, 1L);
    }
}
