package io.coedit.ws;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventLoopSessionTest {

    @Test
    void aFragmentEndingInsideACharacterKeepsThatCharacterForTheNext() {
        String text = "a\u00e9\u4e2d\ud83d\ude00b"; // one, two, three and four bytes in UTF-8
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        int[] boundaries = {0, 1, 3, 6, 10, 11};
        for (int cut = 0; cut <= utf8.length; cut++) {
            int expected = 0;
            for (int boundary : boundaries) {
                if (boundary <= cut) {
                    expected = boundary;
                }
            }
            assertThat(EventLoopSession.wholeCharacters(Arrays.copyOf(utf8, cut)))
                    .as("bytes cut after %d", cut)
                    .isEqualTo(expected);
        }
    }
}
