package io.coedit.cluster;

import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * Lettuce flushes every command on its own, one {@code write} system call each, while the submit threads send the
 * commits of many documents at once. This holds flushes back: those asked for while the event loop reads replies
 * go out when the read is done, the others at the end of the loop's pass over the writes queued meanwhile, so
 * commands queued together leave in one write and reach Redis in one read. A command waits for no timer.
 */
final class ConsolidatedFlushes implements NettyCustomizer {

    /** The most flushes held back for one write (Netty's default): a long burst still leaves in steady writes. */
    static final int FLUSHES_PER_WRITE = FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES;

    @Override
    public void afterChannelInitialized(Channel channel) {
        // first in the pipeline, so that it sees every read begin and end
        channel.pipeline().addFirst(new FlushConsolidationHandler(FLUSHES_PER_WRITE, true));
    }
}
