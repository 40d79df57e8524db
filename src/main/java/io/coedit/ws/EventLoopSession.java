package io.coedit.ws;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import lombok.extern.slf4j.Slf4j;

import org.springframework.web.socket.CloseStatus;

import io.coedit.document.DocumentId;
import io.coedit.security.CoeditUser;

/**
 * One connection of the event loop endpoint once it upgraded: its frames handed to {@link CollabWebSocketHandler}
 * as the web server's endpoint hands them, on the connection's event loop thread. Netty has already answered pings,
 * checked the frames (masking, control frame sizes, UTF-8, {@code coedit.ws.max-message-size} per frame) and closed
 * the connection on a violation.
 */
@Slf4j
final class EventLoopSession extends SimpleChannelInboundHandler<WebSocketFrame> {

    private static final byte[] NOTHING = new byte[0];

    private final CollabWebSocketHandler handler;
    private final WebSocketProperties properties;
    private final PresenceWait presenceWait;
    private final String id;
    private final DocumentId documentId;
    private final CoeditUser user;
    private EventLoopFrameSink sink;
    /** The client's close, when it began the closing handshake, or Netty's, when a frame broke the protocol. */
    private CloseStatus otherClose;
    /** Whether the message being received is text (its continuation frames are text too). */
    private boolean inText;
    /** The bytes of a character that a fragment of a text message cut in two, waiting for the next fragment. */
    private byte[] cutCharacter = NOTHING;

    EventLoopSession(
            CollabWebSocketHandler handler,
            WebSocketProperties properties,
            PresenceWait presenceWait,
            String id,
            DocumentId documentId,
            CoeditUser user) {
        this.handler = handler;
        this.properties = properties;
        this.presenceWait = presenceWait;
        this.id = id;
        this.documentId = documentId;
        this.user = user;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            handler.opened(
                    overflow -> sink = new EventLoopFrameSink(ctx.channel(), id, properties, overflow, presenceWait),
                    documentId,
                    user);
            ArrivingFrames.install(ctx.pipeline(), handler.arrivingBudget(id));
        } else {
            super.userEventTriggered(ctx, event);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame || (frame instanceof ContinuationWebSocketFrame && inText)) {
            inText = !frame.isFinalFragment();
            handler.received(id, text(frame.content(), frame.isFinalFragment()), frame.isFinalFragment());
        } else if (frame instanceof BinaryWebSocketFrame || frame instanceof ContinuationWebSocketFrame) {
            handler.receivedBinary(id);
        } else if (frame instanceof PongWebSocketFrame) {
            handler.heardPong(id);
        } else if (frame instanceof CloseWebSocketFrame close) {
            if (otherClose == null) {
                otherClose = close.statusCode() < 0
                        ? CloseStatus.NO_STATUS_CODE
                        : new CloseStatus(close.statusCode(), close.reasonText());
            }
            // the answer to the client's close, unless the server's own close went first; then the connection ends
            ctx.writeAndFlush(close.retainedDuplicate()).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * A text frame's payload as characters. Netty has checked that the message is UTF-8, but a fragment may end inside
     * a character; its bytes wait for the next fragment.
     */
    private String text(ByteBuf content, boolean last) {
        if (cutCharacter.length == 0 && last) {
            return content.toString(StandardCharsets.UTF_8);
        }
        byte[] bytes = ByteBufUtil.getBytes(content);
        if (cutCharacter.length > 0) {
            byte[] joined = Arrays.copyOf(cutCharacter, cutCharacter.length + bytes.length);
            System.arraycopy(bytes, 0, joined, cutCharacter.length, bytes.length);
            bytes = joined;
        }
        int whole = last ? bytes.length : wholeCharacters(bytes);
        cutCharacter = whole == bytes.length ? NOTHING : Arrays.copyOfRange(bytes, whole, bytes.length);
        return new String(bytes, 0, whole, StandardCharsets.UTF_8);
    }

    /** How many of the bytes, valid UTF-8 so far, end on a character boundary. */
    static int wholeCharacters(byte[] utf8) {
        int lead = utf8.length - 1;
        while (lead >= 0 && utf8.length - lead <= 3 && (utf8[lead] & 0xC0) == 0x80) {
            lead--;
        }
        if (lead < 0) {
            return utf8.length;
        }
        int first = utf8[lead] & 0xFF;
        int length = first < 0x80 ? 1 : first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : 2;
        return utf8.length - lead >= length ? utf8.length : lead;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (sink != null) {
            CloseStatus server = sink.closedWith();
            handler.closed(
                    id,
                    documentId,
                    user,
                    server != null ? server : otherClose != null ? otherClose : CloseStatus.NO_CLOSE_FRAME);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException broken && otherClose == null) {
            // Netty has sent this close (1009 for a frame too big, 1007 for bad UTF-8, 1002 otherwise)
            WebSocketCloseStatus status = broken.closeStatus();
            otherClose = new CloseStatus(status.code(), status.reasonText());
        }
        log.debug("Transport error on session {}: {}", id, cause.toString());
        ctx.close();
    }
}
