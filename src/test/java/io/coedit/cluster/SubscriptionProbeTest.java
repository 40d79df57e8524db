package io.coedit.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.connection.DefaultMessage;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import io.coedit.support.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class SubscriptionProbeTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T12:00:00Z"));
    private final RedisMessageListenerContainer container = mock(RedisMessageListenerContainer.class);
    private final ReactiveStringRedisTemplate redis = mock(ReactiveStringRedisTemplate.class);
    private final RelayChannels channels = new RelayChannels("coedit:");
    private final AtomicLong lastArrival = new AtomicLong(clock.millis());
    private final AtomicInteger catchUps = new AtomicInteger();
    private final SubscriptionProbe probe;

    SubscriptionProbeTest() {
        when(redis.convertAndSend(anyString(), anyString())).thenReturn(Mono.just(1L));
        probe = new SubscriptionProbe(
                container,
                redis,
                channels,
                new InstanceId("a"),
                clock,
                lastArrival::get,
                catchUps::incrementAndGet,
                Duration.ofSeconds(2));
        probe.begin();
    }

    @Test
    void aRelayThreadRunningSecondsBehindWhileMessagesKeepArrivingIsNotSilence() {
        for (int second = 0; second < 30; second += 2) {
            clock.advance(Duration.ofSeconds(2));
            lastArrival.set(clock.millis()); // messages arrive; the thread has not reached a probe for 30 s
            probe.check();
        }

        assertThat(probe.healthy()).isTrue();
        verify(container, never()).stop();
        probeHeard();
        assertThat(catchUps).hasValue(0);
    }

    @Test
    void nothingArrivingForSixSecondsResubscribesAndTheNextProbeHeardCatchesUpOnce() {
        clock.advance(Duration.ofSeconds(5));
        probe.check();
        verify(container, never()).stop();

        clock.advance(Duration.ofSeconds(2));
        probe.check();

        assertThat(probe.healthy()).isFalse();
        verify(container, times(1)).stop();
        verify(container, times(1)).start();
        lastArrival.set(clock.millis());
        probeHeard();
        probeHeard();
        assertThat(catchUps).hasValue(1);
        assertThat(probe.healthy()).isTrue();
    }

    private void probeHeard() {
        probe.onMessage(
                new DefaultMessage(
                        channels.probeChannel("a").getBytes(StandardCharsets.UTF_8),
                        "1".getBytes(StandardCharsets.UTF_8)),
                null);
    }
}
