package io.coedit.ws;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TextFrameTest {

    @Test
    void aFramesSizeCountsTheUtf8BytesOfItsTextAndItsHeader() {
        assertThat(TextFrame.of("abc").wireBytes()).isEqualTo(2 + 3);
        assertThat(TextFrame.of("é").wireBytes()).isEqualTo(2 + 2);
        assertThat(TextFrame.of("€").wireBytes()).isEqualTo(2 + 3);
        assertThat(TextFrame.of("😀").wireBytes()).isEqualTo(2 + 4);
        assertThat(TextFrame.of("x".repeat(125)).wireBytes()).isEqualTo(2 + 125);
        assertThat(TextFrame.of("x".repeat(126)).wireBytes()).isEqualTo(4 + 126);
        assertThat(TextFrame.of("x".repeat(65_535)).wireBytes()).isEqualTo(4 + 65_535);
        assertThat(TextFrame.of("x".repeat(70_000)).wireBytes()).isEqualTo(10 + 70_000);
    }

    @Test
    void everyRecipientReadsTheWholePayloadFromItsOwnBuffer() {
        TextFrame frame = TextFrame.of("{\"type\":\"op\",\"text\":\"héllo 😀\"}");
        ByteBuffer first = frame.payload();
        first.position(first.limit()); // the container consumed it
        ByteBuffer second = frame.payload();

        assertThat(StandardCharsets.UTF_8.decode(second).toString())
                .isEqualTo("{\"type\":\"op\",\"text\":\"héllo 😀\"}");
        assertThat(frame.payloadBytes()).isEqualTo(frame.text().getBytes(StandardCharsets.UTF_8).length);
    }
}
