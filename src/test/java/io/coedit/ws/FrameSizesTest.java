package io.coedit.ws;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FrameSizesTest {

    private static final int BATCH = 1024 - Outbox.CONTROL_FRAME_BYTES;

    private final FrameSizes sizes = new FrameSizes();

    @Test
    void aTextIsSizedAsItsFrameWhetherCountedOrRemembered() {
        for (String text : List.of("abc", "é", "€", "😀", "x".repeat(126), "{\"type\":\"op\",\"op\":[3,\"😀\"]}")) {
            assertThat(sizes.of(text, BATCH)).isEqualTo(Outbox.frameBytes(text));
            assertThat(sizes.of(text, BATCH)).isEqualTo(Outbox.frameBytes(text));
        }
    }

    @Test
    void textsThatShareASlotOrAContentAreEachSizedByTheirOwnBytes() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 20 * FrameSizes.SLOTS; i++) {
            texts.add((i % 3 == 0 ? "é" : "e").repeat(i % 400));
        }
        for (int round = 0; round < 2; round++) {
            for (String text : texts) {
                assertThat(sizes.of(text, BATCH)).isEqualTo(Outbox.frameBytes(text));
                // the same content in another String: equal, so sized the same
                assertThat(sizes.of(new String(text), BATCH)).isEqualTo(Outbox.frameBytes(text));
            }
        }
    }

    @Test
    void aTextLongerThanABatchIsSizedOverTheBatchWhateverItsBytes() {
        String ascii = "x".repeat(BATCH + 1);
        assertThat(sizes.of(ascii, BATCH)).isGreaterThan(BATCH);
        assertThat(sizes.of("é".repeat(BATCH), BATCH)).isGreaterThan(BATCH);
        // at the limit it is counted (a four-byte header): a batch may still take it whole
        assertThat(sizes.of("x".repeat(BATCH - 4), BATCH)).isEqualTo(BATCH);
        assertThat(sizes.of("é".repeat(BATCH / 2), BATCH)).isGreaterThan(BATCH);
    }

    @Test
    void threadsSizingTheSameTextsAtOnceAllGetTheirExactSizes() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            texts.add("{\"type\":\"op\",\"rev\":" + i + ",\"op\":[" + i + ",\"" + "😀é".repeat(i % 7) + "\"]}");
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    for (int round = 0; round < 200; round++) {
                        for (String text : texts) {
                            if (sizes.of(text, BATCH) != Outbox.frameBytes(text)) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
