package io.coedit.ws;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What Netty's frame decoder holds of a frame still arriving is counted to the byte, and given back. */
class ArrivingFramesTest {

    /** A budget of {@code limit} bytes that records what is held. */
    private static final class CountingBudget implements ArrivingFrames.Budget {
        private final long limit;
        private long held;
        private long most;

        CountingBudget(long limit) {
            this.limit = limit;
        }

        @Override
        public boolean take(long bytes) {
            if (held + bytes > limit) {
                return false;
            }
            held += bytes;
            most = Math.max(most, held);
            return true;
        }

        @Override
        public void giveBack(long bytes) {
            held -= bytes;
        }
    }

    private final CountingBudget budget = new CountingBudget(200_000);
    private int framesOut;
    private final EmbeddedChannel channel = channel(budget);

    private EmbeddedChannel channel(CountingBudget counted) {
        EmbeddedChannel embedded = new EmbeddedChannel();
        embedded.pipeline()
                .addLast(
                        ArrivingFrames.DECODER,
                        new WebSocket13FrameDecoder(WebSocketDecoderConfig.newBuilder()
                                .expectMaskedFrames(true)
                                .maxFramePayloadLength(1 << 20)
                                .build()))
                .addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        if (msg instanceof WebSocketFrame) {
                            framesOut++;
                        }
                        ReferenceCountUtil.release(msg);
                    }
                });
        ArrivingFrames.install(embedded.pipeline(), counted);
        return embedded;
    }

    @Test
    void wholeFramesOfEveryHeaderLengthLeaveNothingHeld() {
        int[] sizes = {0, 1, 125, 126, 127, 65_535, 65_536, 70_000};
        for (int size : sizes) {
            channel.writeInbound(Unpooled.wrappedBuffer(maskedTextFrame(size)));
            assertThat(budget.held)
                    .as("held after a whole frame of %d bytes", size)
                    .isZero();
        }
        assertThat(framesOut).isEqualTo(sizes.length);
    }

    @Test
    void aFrameArrivingInPiecesHoldsExactlyTheBytesReceivedUntilItIsWhole() {
        byte[] frame = maskedTextFrame(70_000);
        channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(frame, 0, 1_000)));
        assertThat(budget.held).isEqualTo(1_000);
        channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(frame, 1_000, 50_000)));
        assertThat(budget.held).isEqualTo(50_000);

        // the rest of the frame and the start of the next, in one read
        byte[] next = maskedTextFrame(300);
        byte[] read = Arrays.copyOf(Arrays.copyOfRange(frame, 50_000, frame.length), frame.length - 50_000 + 10);
        System.arraycopy(next, 0, read, frame.length - 50_000, 10);
        channel.writeInbound(Unpooled.wrappedBuffer(read));
        assertThat(framesOut).isEqualTo(1);
        assertThat(budget.held).isEqualTo(10);
    }

    @Test
    void aFrameThatWouldPassTheBudgetStopsTheReadsAndKeepsNoMore() {
        CountingBudget small = new CountingBudget(10_000);
        EmbeddedChannel tight = channel(small);
        byte[] frame = maskedTextFrame(70_000);

        tight.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(frame, 0, 8_000)));
        tight.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(frame, 8_000, 20_000)));

        assertThat(tight.config().isAutoRead()).isFalse();
        assertThat(small.held).isEqualTo(8_000);
        assertThat(small.most).isLessThanOrEqualTo(10_000);
        tight.finishAndReleaseAll();
        assertThat(small.held).isZero();
    }

    @Test
    void whatTheDecoderHeldIsGivenBackWhenTheConnectionCloses() {
        byte[] frame = maskedTextFrame(70_000);
        channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(frame, 0, 30_000)));
        assertThat(budget.held).isEqualTo(30_000);

        channel.finishAndReleaseAll();

        assertThat(budget.held).isZero();
    }

    /** A client's text frame (masked, RFC 6455 5.2) of {@code size} ASCII bytes. */
    private static byte[] maskedTextFrame(int size) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        if (size < 126) {
            frame.write(0x80 | size);
        } else if (size <= 0xFFFF) {
            frame.write(0x80 | 126);
            frame.write(size >>> 8);
            frame.write(size & 0xFF);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) (((long) size >>> shift) & 0xFF));
            }
        }
        byte[] mask = {0x0A, 0x1B, 0x2C, 0x3D};
        frame.writeBytes(mask);
        for (int i = 0; i < size; i++) {
            frame.write('x' ^ mask[i % 4]);
        }
        return frame.toByteArray();
    }
}
