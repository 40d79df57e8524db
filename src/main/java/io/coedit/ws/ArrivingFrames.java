package io.coedit.ws;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * The bytes of a frame still arriving on an event loop connection, counted against
 * {@code coedit.ws.partial-messages-budget}. Netty's frame decoder holds a frame until its last byte came (up to
 * {@code coedit.ws.max-message-size}), where the web server's endpoint hands it on in parts, which
 * {@link PartialMessage} counts; uncounted, every connection trickling a big frame could hold that much outside the
 * budget. Bytes are counted in front of the decoder and frames behind it; what the decoder holds is the difference,
 * settled with the budget after each read. Past the budget the session is closed 1013 and read no further.
 */
final class ArrivingFrames {

    /** The name Netty's handshake gives the frame decoder it adds. */
    static final String DECODER = "wsdecoder";

    /** A client frame's header: two bytes, the extended length, the four-byte mask (a client must mask). */
    private static final int MASK_BYTES = 4;

    /** Where the held bytes are counted: one session's share of the instance's budget. */
    interface Budget {
        /** Takes {@code bytes}; false when that would pass the budget, and the session is being closed for it. */
        boolean take(long bytes);

        void giveBack(long bytes);
    }

    private final Budget budget;
    private long read;
    private long decoded;
    private long held;
    private boolean refused;
    /** The connection's pipeline is gone: what it held was given back, and nothing more is taken. */
    private boolean released;

    private ArrivingFrames(Budget budget) {
        this.budget = budget;
    }

    /** Counts the connection's arriving frames from now on; its pipeline must hold Netty's frame decoder. */
    static void install(ChannelPipeline pipeline, Budget budget) {
        ArrivingFrames frames = new ArrivingFrames(budget);
        pipeline.addBefore(DECODER, "coedit-bytes-read", frames.new BytesRead());
        pipeline.addAfter(DECODER, "coedit-frames-decoded", frames.new FramesDecoded());
    }

    /** The bytes a frame of {@code payloadBytes} takes on the wire from a client. */
    static long wireBytes(long payloadBytes) {
        int length = payloadBytes < 126 ? 0 : payloadBytes <= 0xFFFF ? 2 : 8;
        return 2 + length + MASK_BYTES + payloadBytes;
    }

    /** After a read and the frames it completed: takes what the decoder holds from the budget, or gives it back. */
    private void settle(ChannelHandlerContext ctx) {
        long holding = Math.max(0, read - decoded);
        if (holding > held) {
            if (refused || released) {
                return;
            }
            if (!budget.take(holding - held)) {
                refused = true;
                ctx.channel().config().setAutoRead(false); // closing: nothing more is read into the decoder
                return;
            }
        } else if (holding < held) {
            budget.giveBack(held - holding);
        }
        held = holding;
    }

    private void release() {
        released = true;
        if (held > 0) {
            budget.giveBack(held);
            held = 0;
        }
    }

    /** In front of the decoder: every byte read. */
    private final class BytesRead extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf bytes) {
                read += bytes.readableBytes();
            }
            ctx.fireChannelRead(msg); // the decoder hands on every frame this read completed before it returns
            settle(ctx);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            release();
        }
    }

    /** Behind the decoder: every frame it completed. */
    private final class FramesDecoded extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof WebSocketFrame frame) {
                decoded += wireBytes(frame.content().readableBytes());
            }
            ctx.fireChannelRead(msg);
        }
    }
}
