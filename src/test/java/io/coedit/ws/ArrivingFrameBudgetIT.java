package io.coedit.ws;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import io.coedit.CoeditIntegrationTest;
import io.coedit.support.RawHandshake;
import io.coedit.support.Tokens;
import io.coedit.support.WsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A big message still arriving is held by the server until its last byte, on either endpoint: the bytes held count
 * against {@code coedit.ws.partial-messages-budget}, so many slow senders cannot hold the message size limit each.
 */
@EventLoopEndpoint
@TestPropertySource(properties = "coedit.ws.partial-messages-budget=64KB")
class ArrivingFrameBudgetIT extends CoeditIntegrationTest {

    private static final int ANNOUNCED_BYTES = 200_000;

    @Autowired
    private EventLoopServer eventLoop;

    @Autowired
    private CollabWebSocketHandler handler;

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void theBytesOfAFrameStillArrivingCountUntilItsConnectionCloses(Endpoint endpoint) throws IOException {
        try (Socket sender = openRaw(endpoint, "arriving-" + endpoint)) {
            // under the 64 KB budget on either endpoint (Tomcat's parts count two bytes a character)
            startBigFrame(sender.getOutputStream(), 20_000);

            await().atMost(Duration.ofSeconds(10)).until(() -> handler.partialMessageBytes() >= 15_000);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> handler.partialMessageBytes() == 0);
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void aFrameThatWouldPassTheBudgetClosesItsSessionWith1013AndTheOthersGoOn(Endpoint endpoint) throws IOException {
        String doc = "over-budget-" + endpoint;
        int port = endpoint.port(this.port, eventLoop);
        try (WsClient other = WsClient.connect(port, doc, Tokens.user("other").sign());
                Socket sender = openRaw(endpoint, doc)) {
            other.await("snapshot");
            startBigFrame(sender.getOutputStream(), 100_000);

            assertThat(closeCode(new DataInputStream(sender.getInputStream()))).isEqualTo(1013);
            other.send(Map.of("type", "op", "rev", 0, "op", List.of("still here"), "id", "other:1"));
            assertThat(other.await("ack").get("rev").asLong()).isEqualTo(1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> handler.partialMessageBytes() == 0);
    }

    private Socket openRaw(Endpoint endpoint, String doc) throws IOException {
        return RawHandshake.to(endpoint.port(port, eventLoop), "/ws/documents/" + doc)
                .bearer(Tokens.user("sender").sign())
                .openAndStopReading();
    }

    /** Sends the header of a masked text frame of {@link #ANNOUNCED_BYTES} and the first {@code bytes} of it. */
    private static void startBigFrame(OutputStream out, int bytes) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81); // final fragment, text
        frame.write(0x80 | 127); // masked, 64-bit length
        for (int shift = 56; shift >= 0; shift -= 8) {
            frame.write((int) ((long) ANNOUNCED_BYTES >>> shift) & 0xFF);
        }
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        frame.write(mask);
        for (int i = 0; i < bytes; i++) {
            frame.write('a' ^ mask[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /** Reads the server's frames until its close frame, and returns the close code. */
    private static int closeCode(DataInputStream in) throws IOException {
        while (true) {
            int opcode = in.readUnsignedByte() & 0x0F;
            long length = in.readUnsignedByte() & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            if (opcode == 0x8) {
                return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
            }
        }
    }
}
