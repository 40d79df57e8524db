package io.coedit.ws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.coedit.document.DocumentId;
import io.coedit.security.CoeditUser;
import io.coedit.security.TokenRevocations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

class SessionUpkeepTest {

    private static final int SESSIONS = 500;

    private final SessionRegistry registry = new SessionRegistry();
    private final List<RecordingFrameSink> sinks = new ArrayList<>();
    private final SessionUpkeep upkeep =
            new SessionUpkeep(registry, WsUnitFixture.WS, null, Clock.systemUTC(), mock(TokenRevocations.class));

    SessionUpkeepTest() {
        CoeditUser user = new CoeditUser(
                "ann", "Ann", Set.of(), Set.of("*"), Instant.now().plus(Duration.ofHours(1)), Instant.now());
        for (int i = 0; i < SESSIONS; i++) {
            RecordingFrameSink sink = new RecordingFrameSink(Integer.toHexString(i));
            registry.add(
                    new CollabSession(
                            sink.factory(),
                            WsUnitFixture.WS,
                            "client-" + i,
                            new DocumentId("doc"),
                            user,
                            System.nanoTime(),
                            Runnable::run,
                            closed -> {},
                            new PartialMessageBudget(1 << 20)),
                    SESSIONS);
            sinks.add(sink);
        }
    }

    @Test
    void everySessionIsPingedOncePerHeartbeatInterval() {
        int sweepsPerInterval = SessionUpkeep.pingSlots(WsUnitFixture.WS.heartbeatInterval());

        sweep(2 * sweepsPerInterval);

        assertThat(sinks).allSatisfy(sink -> assertThat(sink.pings()).isEqualTo(2));
    }

    @Test
    void pingsAreSpreadOverTheIntervalInsteadOfSentAllAtOnce() {
        int sweepsPerInterval = SessionUpkeep.pingSlots(WsUnitFixture.WS.heartbeatInterval());
        int mostInOneSweep = 0;
        int before = 0;
        for (int i = 0; i < sweepsPerInterval; i++) {
            sweep(1);
            int total = sinks.stream().mapToInt(RecordingFrameSink::pings).sum();
            mostInOneSweep = Math.max(mostInOneSweep, total - before);
            before = total;
        }

        assertThat(sweepsPerInterval).isEqualTo(25);
        // an even spread is 20 a sweep; all 500 at once is what this replaced
        assertThat(mostInOneSweep).isLessThan(SESSIONS / 5);
    }

    @Test
    void aSweepIsSpreadOverTwentyTicksThatEachCheckTheirTwentiethOfTheSessions() {
        Instant afterTheTokensExpired = Instant.now().plus(Duration.ofHours(2));

        upkeep.tick(System.nanoTime(), afterTheTokensExpired);
        assertThat(closed()).isEqualTo(SESSIONS / 20);

        for (int i = 1; i < 20; i++) {
            upkeep.tick(System.nanoTime(), afterTheTokensExpired);
        }
        assertThat(closed()).isEqualTo(SESSIONS);
        assertThat(sinks).allSatisfy(sink -> assertThat(sink.closedWith()).isEqualTo(CloseCodes.TOKEN_INVALID));
    }

    @Test
    void aSessionThatLeftWhileASweepWasUnderWayIsNotCheckedByItsLaterTicks() {
        Instant afterTheTokensExpired = Instant.now().plus(Duration.ofHours(2));
        upkeep.tick(System.nanoTime(), afterTheTokensExpired);

        sinks.forEach(sink -> registry.remove(sink.id()));
        for (int i = 1; i < 20; i++) {
            upkeep.tick(System.nanoTime(), afterTheTokensExpired);
        }

        assertThat(closed()).isEqualTo(SESSIONS / 20);
    }

    @Test
    void anIntervalShorterThanASweepPingsEverySessionEverySweep() {
        assertThat(SessionUpkeep.pingSlots(Duration.ofMillis(300))).isEqualTo(1);
        assertThat(SessionUpkeep.pingSlots(Duration.ofMillis(1500))).isEqualTo(1);
    }

    private long closed() {
        return sinks.stream().filter(sink -> sink.closedWith() != null).count();
    }

    private void sweep(int times) {
        for (int i = 0; i < times; i++) {
            upkeep.sweep(System.nanoTime(), Instant.now());
        }
    }
}
