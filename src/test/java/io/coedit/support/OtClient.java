package io.coedit.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import io.coedit.ot.TextOperation;
import io.coedit.ot.TransformedPair;

/**
 * The ot.js client state machine (synchronized, awaiting confirm, awaiting with buffer) driving a real WebSocket,
 * so tests edit the way a browser does: one op in flight, later edits composed, remote ops transformed.
 */
public final class OtClient implements AutoCloseable {

    private final WsClient ws;
    private final String opIdPrefix;
    private final List<String> errors = new ArrayList<>();
    private final List<String> ackedIds = new ArrayList<>();
    private String text;
    private long rev;
    private TextOperation outstanding;
    private String outstandingId;
    private TextOperation buffer;
    private long seq;

    private OtClient(WsClient ws, String opIdPrefix) {
        this.ws = ws;
        this.opIdPrefix = opIdPrefix;
        JsonNode snapshot = ws.await("snapshot");
        this.text = snapshot.get("content").asString();
        this.rev = snapshot.get("rev").asLong();
    }

    public static OtClient open(int port, String documentId, String token, String opIdPrefix) {
        return new OtClient(WsClient.connect(port, documentId, token), opIdPrefix);
    }

    public String text() {
        return text;
    }

    public long rev() {
        return rev;
    }

    public List<String> errors() {
        return errors;
    }

    /** The ids of this client's ops the server acknowledged. */
    public List<String> ackedIds() {
        return ackedIds;
    }

    public boolean synchronizedWithServer() {
        return outstanding == null && buffer == null;
    }

    /** Applies a local edit and sends it (or buffers it while an earlier one awaits its ack). */
    public void edit(TextOperation op) {
        text = op.apply(text);
        if (outstanding == null) {
            send(op);
        } else {
            buffer = buffer == null ? op : buffer.compose(op);
        }
    }

    /** Handles every message that has arrived so far. */
    public void pump() throws InterruptedException {
        for (JsonNode message = ws.poll(Duration.ZERO); message != null; message = ws.poll(Duration.ZERO)) {
            handle(message);
        }
    }

    /** Handles messages until nothing is in flight and nothing arrives for a while. */
    public void settle() throws InterruptedException {
        long deadline = System.nanoTime() + WsClient.TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode message = ws.poll(Duration.ofMillis(synchronizedWithServer() ? 200 : 1000));
            if (message == null && synchronizedWithServer()) {
                return;
            }
            if (message != null) {
                handle(message);
            }
        }
        throw new AssertionError("Client " + opIdPrefix + " did not settle");
    }

    private void handle(JsonNode message) {
        String type = message.path("type").asString();
        if ("op".equals(type)) {
            long opRev = message.get("rev").asLong();
            if (opRev != rev + 1) {
                throw new AssertionError(opIdPrefix + " expected rev " + (rev + 1) + " but got " + opRev);
            }
            TextOperation remote =
                    TextOperation.fromComponents(WsClient.JSON.convertValue(message.get("op"), List.class));
            if (outstanding != null) {
                // ot.js Client: our own pending op is the first argument, as the server will make it
                TransformedPair pair = TextOperation.transform(outstanding, remote);
                outstanding = pair.first();
                remote = pair.second();
                if (buffer != null) {
                    TransformedPair second = TextOperation.transform(buffer, remote);
                    buffer = second.first();
                    remote = second.second();
                }
            }
            text = remote.apply(text);
            rev = opRev;
        } else if ("ack".equals(type)) {
            if (outstanding == null || !message.get("id").asString().equals(outstandingId)) {
                throw new AssertionError(opIdPrefix + " got an ack it did not wait for: " + message);
            }
            rev = message.get("rev").asLong();
            ackedIds.add(outstandingId);
            outstanding = null;
            if (buffer != null) {
                TextOperation next = buffer;
                buffer = null;
                send(next);
            }
        } else if ("error".equals(type)) {
            errors.add(message.toString());
        }
    }

    private void send(TextOperation op) {
        outstanding = op;
        outstandingId = opIdPrefix + ":" + (++seq);
        ws.send(Map.of("type", "op", "rev", rev, "op", op.toComponents(), "id", outstandingId));
    }

    @Override
    public void close() {
        ws.close();
    }
}
