package io.coedit.cluster;

import java.util.List;

import lombok.extern.slf4j.Slf4j;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import io.coedit.document.CommitFeed;
import io.coedit.document.CommittedOp;
import io.coedit.document.DocumentId;
import io.coedit.document.LogEntryCodec;

/**
 * Publishes what a SQL store committed on the document's ops channel, in the form {@code commit.lua} publishes for
 * the Redis store, so the relay of every instance works the same whichever store holds the documents. Publishing
 * never waits for Redis: Lettuce sends the messages of this instance in order on one connection; a message lost
 * while Redis is away shows as a gap that receiving rooms fill from the store.
 */
@Slf4j
final class RedisCommitFeed implements CommitFeed {

    private final ReactiveStringRedisTemplate redis;
    private final RelayChannels channels;
    private final String instanceId;
    private final LogEntryCodec codec = new LogEntryCodec();

    RedisCommitFeed(ReactiveStringRedisTemplate redis, RelayChannels channels, InstanceId instanceId) {
        this.redis = redis;
        this.channels = channels;
        this.instanceId = instanceId.value();
    }

    @Override
    public void committed(DocumentId id, String epoch, List<CommittedOp> ops) {
        String channel = channels.opsChannel(id);
        for (CommittedOp op : ops) {
            redis.convertAndSend(channel, codec.encodePublished(instanceId, id, epoch, op))
                    .subscribe(
                            null, ex -> log.debug("Publishing rev {} of {} failed: {}", op.rev(), id, ex.getMessage()));
        }
    }
}
