package io.coedit.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.DefaultMessage;
import org.springframework.data.redis.connection.Message;

import io.coedit.support.MutableClock;
import io.coedit.system.DaemonThreads;

import static org.assertj.core.api.Assertions.assertThat;

class RelayListenerContainerTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T12:00:00Z"));
    private final RelayThread relayThread = new RelayThread(DaemonThreads.named("test-relay"), clock);
    private final RelayListenerContainer container = new RelayListenerContainer(relayThread);
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private final List<String> handledOn = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopThread() {
        relayThread.shutdown();
    }

    @Test
    void keptMessagesReachTheListenerOnTheRelayThreadInTheOrderTheyArrived() throws Exception {
        CountDownLatch all = new CountDownLatch(100);
        RelayListenerContainer.DropsOnArrival listener = new Listener("own:", all);

        for (int i = 0; i < 100; i++) {
            container.processMessage(listener, message("ops", "other:" + i), null);
        }

        assertThat(all.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(handled)
                .containsExactlyElementsOf(
                        IntStream.range(0, 100).mapToObj(i -> "other:" + i).toList());
        assertThat(handledOn).containsOnly("test-relay-1");
    }

    @Test
    void aMessageTheListenerDropsOnArrivalNeverReachesItButCountsAsAnArrival() throws Exception {
        CountDownLatch last = new CountDownLatch(1);
        RelayListenerContainer.DropsOnArrival listener = new Listener("own:", last);
        long before = relayThread.lastArrivalMillis();

        clock.advance(Duration.ofSeconds(3));
        container.processMessage(listener, message("ops", "own:1"), null);
        assertThat(relayThread.lastArrivalMillis()).isEqualTo(before + 3000);
        container.processMessage(listener, message("ops", "other:2"), null);

        assertThat(last.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(handled).containsExactly("other:2");
    }

    private static Message message(String channel, String body) {
        return new DefaultMessage(channel.getBytes(StandardCharsets.UTF_8), body.getBytes(StandardCharsets.UTF_8));
    }

    private final class Listener implements RelayListenerContainer.DropsOnArrival {
        private final String droppedPrefix;
        private final CountDownLatch handledAll;

        Listener(String droppedPrefix, CountDownLatch handledAll) {
            this.droppedPrefix = droppedPrefix;
            this.handledAll = handledAll;
        }

        @Override
        public boolean dropsOnArrival(Message message) {
            return new String(message.getBody(), StandardCharsets.UTF_8).startsWith(droppedPrefix);
        }

        @Override
        public void onMessage(Message message, byte[] pattern) {
            handled.add(new String(message.getBody(), StandardCharsets.UTF_8));
            handledOn.add(Thread.currentThread().getName());
            handledAll.countDown();
        }
    }
}
