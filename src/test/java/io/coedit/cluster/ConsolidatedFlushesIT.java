package io.coedit.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import org.junit.jupiter.api.Test;

import io.coedit.support.EmbeddedRedis;

import static org.assertj.core.api.Assertions.assertThat;

/** Commands sent while Lettuce's event loop is busy leave together, on a real connection to a real Redis. */
class ConsolidatedFlushesIT {

    private static final int COMMANDS = 50;

    @Test
    void commandsQueuedTogetherLeaveInOneWriteAndAreAnsweredInOrder() throws Exception {
        assertThat(flushesReachingTheSocket(new ConsolidatedFlushes())).isLessThanOrEqualTo(2);
    }

    @Test
    void withoutItEveryCommandIsFlushedOnItsOwn() throws Exception {
        // the measure above can tell: Lettuce alone flushes once per command
        assertThat(flushesReachingTheSocket(null)).isEqualTo(COMMANDS);
    }

    /** Sends {@link #COMMANDS} commands while the event loop is held, then counts the flushes the socket got. */
    private static int flushesReachingTheSocket(NettyCustomizer consolidation) throws Exception {
        AtomicReference<Channel> channel = new AtomicReference<>();
        AtomicInteger flushes = new AtomicInteger();
        NettyCustomizer counting = new NettyCustomizer() {
            @Override
            public void afterChannelInitialized(Channel created) {
                if (consolidation != null) {
                    consolidation.afterChannelInitialized(created);
                }
                // nearest the socket: counts the flushes that get past the consolidation
                created.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
                    @Override
                    public void flush(ChannelHandlerContext ctx) {
                        flushes.incrementAndGet();
                        ctx.flush();
                    }
                });
                channel.set(created);
            }
        };
        ClientResources resources =
                DefaultClientResources.builder().nettyCustomizer(counting).build();
        try (EmbeddedRedis redis = EmbeddedRedis.start()) {
            RedisClient client = RedisClient.create(resources, RedisURI.create(redis.host(), redis.port()));
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                RedisAsyncCommands<String, String> commands = connection.async();
                CountDownLatch held = new CountDownLatch(1);
                CountDownLatch release = new CountDownLatch(1);
                channel.get().eventLoop().execute(() -> {
                    held.countDown();
                    awaitQuietly(release);
                });
                assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
                flushes.set(0);
                List<RedisFuture<Long>> replies = new ArrayList<>();
                for (int i = 0; i < COMMANDS; i++) {
                    replies.add(commands.incr("counter"));
                }
                release.countDown();
                for (int i = 0; i < COMMANDS; i++) {
                    assertThat(replies.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i + 1L);
                }
                return flushes.get();
            } finally {
                client.shutdown();
            }
        } finally {
            resources.shutdown().get(10, TimeUnit.SECONDS);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
