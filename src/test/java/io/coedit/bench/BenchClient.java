package io.coedit.bench;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import tools.jackson.databind.json.JsonMapper;

import io.coedit.ot.TextOperation;
import io.coedit.ot.TransformedPair;

/**
 * One Coedit session for the load generator: the ot.js client rules with exactly one op in flight and no buffer
 * (the generator waits for each ack before it sends the next op, as the protocol asks), so it can transform remote
 * ops against its outstanding op and check that its text ends equal to the server's. Every revision must arrive
 * once and in order; anything else is counted as a protocol error and fails the run.
 *
 * <p>An op refused with {@code resync_required} (its base fell out of the retained history while this session's
 * reading lagged behind) is sent again, as the web editor does: transformed by every op read since, it is based on
 * this session's newer revision, and keeps its id, so its ack is timed from when it was first due. Each such resend
 * is counted ({@link #resent()}); the report gives the count beside the run.
 */
final class BenchClient {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** How the server's presence frames begin: it writes {@code type} first (docs/protocol.md). */
    private static final List<String> PRESENCE_TYPES =
            List.of("{\"type\":\"join\",", "{\"type\":\"leave\",", "{\"type\":\"presence\",", "{\"type\":\"cursor\",");

    /** What the generator learns from a session. */
    interface Events {
        void acked(BenchClient client, String opId, long nanos);

        void remoteOp(BenchClient client, String opId, long nanos);

        /** For idle sessions, which neither send nor wait for ops. */
        Events NONE = new Events() {
            @Override
            public void acked(BenchClient client, String opId, long nanos) {}

            @Override
            public void remoteOp(BenchClient client, String opId, long nanos) {}
        };
    }

    private final String name;
    private final Events events;
    private final CompletableFuture<Void> loaded = new CompletableFuture<>();
    private final AtomicLong pongs = new AtomicLong();
    private volatile GeneratorSockets.Socket socket;
    private final EditBuffer text = new EditBuffer();
    private long rev;
    private TextOperation outstanding;
    private String outstandingId;
    private long outstandingBase;
    private final AtomicLong resent = new AtomicLong();
    private long seq;
    private volatile String protocolError;
    private volatile boolean closing;

    BenchClient(String name, Events events) {
        this.name = name;
        this.events = events;
    }

    /** Opens the session; the returned future completes when the snapshot arrived. */
    CompletableFuture<Void> open(GeneratorSockets sockets, String baseUrl, String doc, String token) {
        sockets.connect(URI.create(baseUrl + "/ws/documents/" + doc), "coedit.v1, bearer." + token, new Listener())
                .whenComplete((ws, ex) -> {
                    if (ex != null) {
                        loaded.completeExceptionally(ex);
                    } else {
                        socket = ws;
                    }
                });
        return loaded;
    }

    String name() {
        return name;
    }

    synchronized String text() {
        return text.toString();
    }

    synchronized long rev() {
        return rev;
    }

    synchronized boolean idle() {
        return outstanding == null;
    }

    String protocolError() {
        return protocolError;
    }

    long pongs() {
        return pongs.get();
    }

    /** Ops sent again after the server refused them with {@code resync_required}. */
    long resent() {
        return resent.get();
    }

    /**
     * Inserts {@code insert} at {@code position} (clamped), as the next op; null when one is still in flight.
     * {@code beforeSend} gets the op id before the frame leaves, so an ack can never arrive before it is known.
     */
    synchronized String send(int position, String insert, Consumer<String> beforeSend) {
        if (outstanding != null || socket == null) {
            return null;
        }
        int at = Math.min(Math.max(position, 0), text.length());
        // never split a surrogate pair of what is there
        if (at > 0 && at < text.length() && Character.isLowSurrogate(text.charAt(at))) {
            at--;
        }
        TextOperation op = TextOperation.builder()
                .retain(at)
                .insert(insert)
                .retain(text.length() - at)
                .build();
        outstanding = op;
        outstandingId = name + ":" + (++seq);
        text.apply(op);
        beforeSend.accept(outstandingId);
        sendOutstanding();
        return outstandingId;
    }

    private void sendOutstanding() {
        outstandingBase = rev;
        socket.sendText(
                "{\"type\":\"op\",\"rev\":" + rev + ",\"op\":" + outstanding + ",\"id\":\"" + outstandingId + "\"}");
    }

    void ping() {
        GeneratorSockets.Socket ws = socket;
        if (ws != null) {
            ws.sendPing();
        }
    }

    void close() {
        closing = true;
        GeneratorSockets.Socket ws = socket;
        if (ws != null) {
            ws.sendClose(1000, "done");
        }
    }

    void abort() {
        closing = true;
        GeneratorSockets.Socket ws = socket;
        if (ws != null) {
            ws.abort();
        }
    }

    private void handle(String frame, long nanos) {
        ServerFrame message = ServerFrame.parse(frame);
        String type = message.type() == null ? "" : message.type();
        String opIdDone = null;
        String remoteId = null;
        synchronized (this) {
            switch (type) {
                case "snapshot" -> {
                    text.reset(message.content());
                    rev = message.revision();
                    outstanding = null;
                    loaded.complete(null);
                }
                case "ack" -> {
                    long ackRev = message.revision();
                    if (outstanding == null || !outstandingId.equals(message.id()) || ackRev != rev + 1) {
                        protocolError = name + ": unexpected " + frame + " at rev " + rev;
                    }
                    rev = ackRev;
                    outstanding = null;
                    opIdDone = outstandingId;
                }
                case "op" -> {
                    long opRev = message.revision();
                    if (opRev != rev + 1) {
                        protocolError = name + ": op for rev " + opRev + " at rev " + rev + " (lost or reordered)";
                    }
                    TextOperation remote = TextOperation.fromComponents(message.op());
                    if (outstanding != null) {
                        TransformedPair pair = TextOperation.transform(outstanding, remote);
                        outstanding = pair.first();
                        remote = pair.second();
                    }
                    if (!text.apply(remote)) {
                        protocolError =
                                name + ": op for rev " + opRev + " does not fit the text (" + text.length() + " chars)";
                    }
                    rev = opRev;
                    remoteId = message.id();
                }
                case "error" -> {
                    if (!resendRefused(message)) {
                        protocolError = name + ": " + frame;
                    }
                }
                default -> {}
            }
        }
        if (opIdDone != null) {
            events.acked(this, opIdDone, nanos);
        }
        if (remoteId != null) {
            events.remoteOp(this, remoteId, nanos);
        }
    }

    /**
     * Sends the outstanding op again when the server refused it for a base older than its retained history and this
     * session has read ops since (so its base is newer now); false for any other error.
     */
    private boolean resendRefused(ServerFrame error) {
        if (!"resync_required".equals(error.code())
                || outstanding == null
                || !outstandingId.equals(error.id())
                || rev == outstandingBase) {
            return false;
        }
        resent.incrementAndGet();
        sendOutstanding();
        return true;
    }

    /**
     * True for a presence frame ({@code join}, {@code leave}, {@code presence}, {@code cursor}), told by its first
     * bytes: the server writes {@code type} first. An idle session has no use for them, and parsing every one of
     * the ~50 that a session of a 100-member document receives was a sixth of the generator's CPU while the
     * capacity workload opened sessions, on the two cores it shares with the instance it measures.
     */
    static boolean isPresence(CharSequence frame) {
        for (String type : PRESENCE_TYPES) {
            if (startsWith(frame, type)) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWith(CharSequence text, String prefix) {
        if (text.length() < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (text.charAt(i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private final class Listener implements GeneratorSockets.Listener {
        @Override
        public void onText(String frame, long nanos) {
            if (events == Events.NONE && loaded.isDone() && isPresence(frame)) {
                return;
            }
            try {
                handle(frame, nanos);
            } catch (RuntimeException ex) {
                protocolError = name + ": " + ex;
            }
        }

        @Override
        public void onPong() {
            pongs.incrementAndGet();
        }

        @Override
        public void onClose(int statusCode, String reason) {
            if (!loaded.isDone()) {
                loaded.completeExceptionally(new IllegalStateException(name + " closed " + statusCode + " " + reason));
            } else if (!closing && protocolError == null) {
                // a session the server closed falls behind for good: say why, instead of "differs from the server"
                protocolError = name + ": closed by the server, " + statusCode + " " + reason;
            }
        }

        @Override
        public void onError(Throwable error) {
            if (!loaded.isDone()) {
                loaded.completeExceptionally(error);
            }
            protocolError = protocolError == null ? name + ": " + error : protocolError;
        }
    }
}
