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
        RelayListenerContainer.SortsOnArrival listener = new Listener("own:", "small:", all);

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
        RelayListenerContainer.SortsOnArrival listener = new Listener("own:", "small:", last);
        long before = relayThread.lastArrivalMillis();

        clock.advance(Duration.ofSeconds(3));
        container.processMessage(listener, message("ops", "own:1"), null);
        assertThat(relayThread.lastArrivalMillis()).isEqualTo(before + 3000);
        container.processMessage(listener, message("ops", "other:2"), null);

        assertThat(last.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(handled).containsExactly("other:2");
    }

    @Test
    void aMessageTheListenerHandlesOnArrivalRunsWhereItArrivedWhenTheRelayThreadHasCaughtUp() throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        RelayListenerContainer.SortsOnArrival listener = new Listener("own:", "small:", first);
        container.processMessage(listener, message("ops", "other:1"), null);
        assertThat(first.await(5, TimeUnit.SECONDS)).isTrue();
        awaitCaughtUp();

        container.processMessage(listener, message("ops", "small:2"), null);

        assertThat(handled).containsExactly("other:1", "small:2");
        assertThat(handledOn)
                .containsExactly("test-relay-1", Thread.currentThread().getName());
    }

    @Test
    void aMessageTheListenerHandlesOnArrivalWaitsBehindOneHandedToTheRelayThreadBeforeIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch both = new CountDownLatch(2);
        RelayListenerContainer.SortsOnArrival listener = new Listener("own:", "small:", both) {
            @Override
            public void onMessage(Message message, byte[] pattern) {
                if (body(message).equals("other:1")) {
                    await(release);
                }
                super.onMessage(message, pattern);
            }
        };

        container.processMessage(listener, message("ops", "other:1"), null);
        container.processMessage(listener, message("ops", "small:2"), null);
        assertThat(handled).isEmpty();
        release.countDown();

        assertThat(both.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(handled).containsExactly("other:1", "small:2");
        assertThat(handledOn).containsOnly("test-relay-1");
    }

    private void awaitCaughtUp() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!relayThread.caughtUp() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(relayThread.caughtUp()).isTrue();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static String body(Message message) {
        return new String(message.getBody(), StandardCharsets.UTF_8);
    }

    private static Message message(String channel, String body) {
        return new DefaultMessage(channel.getBytes(StandardCharsets.UTF_8), body.getBytes(StandardCharsets.UTF_8));
    }

    private class Listener implements RelayListenerContainer.SortsOnArrival {
        private final String droppedPrefix;
        private final String handledOnArrivalPrefix;
        private final CountDownLatch handledAll;

        Listener(String droppedPrefix, String handledOnArrivalPrefix, CountDownLatch handledAll) {
            this.droppedPrefix = droppedPrefix;
            this.handledOnArrivalPrefix = handledOnArrivalPrefix;
            this.handledAll = handledAll;
        }

        @Override
        public boolean dropsOnArrival(Message message) {
            return body(message).startsWith(droppedPrefix);
        }

        @Override
        public boolean handlesOnArrival(Message message) {
            return body(message).startsWith(handledOnArrivalPrefix);
        }

        @Override
        public void onMessage(Message message, byte[] pattern) {
            handled.add(body(message));
            handledOn.add(Thread.currentThread().getName());
            handledAll.countDown();
        }
    }
}
