package io.coedit.ws;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.socket.CloseStatus;

/** A session's frames kept in a list instead of written to a socket, as Spring's {@code TestWebSocketSession} does. */
final class RecordingFrameSink implements FrameSink {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String id;
    private final List<String> frames = new ArrayList<>();
    private Outbox.Overflow overflow;
    private CloseStatus closedWith;
    private boolean sending = true;
    private int pings;

    RecordingFrameSink(String id) {
        this.id = id;
    }

    /** The factory a {@link CollabSession} opens this sink with. */
    FrameSink.Factory factory() {
        return newOverflow -> {
            this.overflow = newOverflow;
            return this;
        };
    }

    synchronized List<String> frames() {
        return List.copyOf(frames);
    }

    List<JsonNode> messages() {
        return frames().stream().map(JSON::readTree).toList();
    }

    List<String> types() {
        return messages().stream()
                .map(message -> message.get("type").asString())
                .toList();
    }

    JsonNode last(String type) {
        List<JsonNode> ofType = messages().stream()
                .filter(message -> type.equals(message.get("type").asString()))
                .toList();
        return ofType.isEmpty() ? null : ofType.get(ofType.size() - 1);
    }

    synchronized void clear() {
        frames.clear();
    }

    CloseStatus closedWith() {
        return closedWith;
    }

    int pings() {
        return pings;
    }

    /** Acts as a peer that stopped reading. */
    void overflow() {
        overflow.slowConsumer();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public synchronized void send(TextFrame frame) {
        if (sending) {
            frames.add(frame.text());
        }
    }

    /** Kept at once, as {@link #send}: the wait for other frames is the {@link Outbox}'s ({@code OutboxTest}). */
    @Override
    public void sendSoon(TextFrame frame) {
        send(frame);
    }

    @Override
    public boolean idle() {
        return sending;
    }

    @Override
    public long lastWrittenNanos() {
        return System.nanoTime();
    }

    @Override
    public boolean stalled(long nowNanos, long limitNanos) {
        return false;
    }

    @Override
    public void ping() {
        pings++;
    }

    /** Frames are recorded as they are sent, so nothing is ever queued: the close follows at once. */
    @Override
    public void stopAfterQueued(Runnable then) {
        stopSending();
        then.run();
    }

    @Override
    public synchronized void stopSending() {
        sending = false;
    }

    @Override
    public void close(CloseStatus status) {
        closedWith = status;
    }

    @Override
    public boolean isOpen() {
        return closedWith == null;
    }
}
