package io.coedit.ws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import io.coedit.document.DocumentId;
import io.coedit.document.DocumentProperties;
import io.coedit.document.DocumentService;
import io.coedit.document.InMemoryDocumentStore;
import io.coedit.document.LogLimits;
import io.coedit.document.SubmitQueue;
import io.coedit.security.CoeditUser;
import io.coedit.security.Scope;
import io.coedit.security.TokenVerifier;

import static org.mockito.Mockito.mock;

/**
 * The WebSocket feature's parts over a real in-memory store, a real submit queue and a relay with nobody behind
 * it, without Spring or sockets: sessions write to {@link RecordingFrameSink}s.
 */
final class WsUnitFixture implements AutoCloseable {

    static final WebSocketProperties WS =
            bind("coedit.ws", WebSocketProperties.class, Map.of("coedit.ws.gap-heal-delay", "10ms"));
    static final DocumentProperties DOCUMENTS = bind("coedit.documents", DocumentProperties.class, Map.of());

    final DocumentService documents =
            new DocumentService(new InMemoryDocumentStore(LogLimits.of(DOCUMENTS)), DOCUMENTS, Clock.systemUTC());
    final SubmitQueue submits = new SubmitQueue(documents, DOCUMENTS);
    final ServerMessages messages = new ServerMessages(JsonMapper.builder().build());
    final TestRelay relay = new TestRelay();
    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    final RoomRegistry rooms = new RoomRegistry(documents, messages, relay, timer, WS);
    final ClientMessageDispatcher dispatcher = new ClientMessageDispatcher(
            submits, rooms, messages, mock(TokenVerifier.class), WS, mock(WebSocketMetrics.class));

    WsUnitFixture() {
        submits.start();
    }

    private static <T> T bind(String prefix, Class<T> type, Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate(prefix, Bindable.of(type));
    }

    /** A session of {@code userId} on {@code doc}, joined to its room. */
    CollabSession join(String userId, DocumentId doc, RecordingFrameSink sink, Scope... scopes) {
        CoeditUser user = new CoeditUser(
                userId, userId, Set.of(scopes), Set.of("*"), Instant.now().plus(Duration.ofHours(1)), Instant.now());
        CollabSession session = new CollabSession(
                sink.factory(),
                WS,
                "client-" + sink.id(),
                doc,
                user,
                System.nanoTime(),
                Runnable::run,
                rooms::leave,
                new PartialMessageBudget(1 << 20));
        rooms.join(session, WS.maxMessageSize().toBytes());
        return session;
    }

    @Override
    public void close() {
        submits.stop();
        timer.shutdownNow();
    }
}
