package io.coedit.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class DueTimeTest {

    @Test
    void neverReturnsBeforeTheDueTime() throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            long due = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(20 + (i % 10) * 30);

            DueTime.await(due);

            assertThat(System.nanoTime()).isGreaterThanOrEqualTo(due);
        }
    }

    @Test
    void anInterruptedWaitThrowsInsteadOfWaitingOn() {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            Thread.currentThread().interrupt();

            assertThatThrownBy(() -> DueTime.await(System.nanoTime() + TimeUnit.SECONDS.toNanos(30)))
                    .isInstanceOf(InterruptedException.class);
        });
    }
}
