package io.coedit.ws;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import io.coedit.document.DocumentProperties;
import io.coedit.error.ErrorCode;
import io.coedit.ot.InvalidOperationException;
import io.coedit.ot.JsonCursor;
import io.coedit.ot.TextOperation;

/**
 * Parses client frames into typed messages: an op arrives as a {@link TextOperation}, so a malformed one is refused
 * here with its reason. What the values mean for the document (lengths, revisions) is checked by the services.
 *
 * <p>A frame is read into plain maps and lists ({@link JsonCursor}) rather than a mapper's tree, which cost more
 * than the rest of a submit's parsing on an instance taking 10,000 ops/s; the rules and the errors are the ones the
 * tree was read with ({@code ClientMessageParserTest} compares the two).
 */
@Component
class ClientMessageParser {

    /** A client id's most code points, in {@code <clientId>:<seq>}. */
    static final int MAX_CLIENT_ID_CODE_POINTS = 128;

    /** A sequence number's most digits. */
    static final int MAX_SEQ_DIGITS = 18;

    private final int maxOpComponents;

    ClientMessageParser(DocumentProperties documents) {
        this.maxOpComponents = documents.maxOpComponents();
    }

    ClientMessage parse(String text) {
        Object value;
        try {
            JsonCursor json = new JsonCursor(text, "message");
            // nothing but whitespace is no message rather than broken JSON, as the mapper's tree had it
            value = json.position() == text.length() ? null : json.value();
            json.end();
        } catch (JsonCursor.MalformedJsonException ex) {
            throw new BadMessageException("Malformed JSON", null);
        }
        if (!(value instanceof Map<?, ?> node)) {
            throw new BadMessageException("A message is a JSON object with a \"type\"", null);
        }
        String type = node.get("type") instanceof String name ? name : "";
        switch (type) {
            case "op":
                return parseOp(node);
            case "sync":
                return new ClientMessage.Sync(revision(node, null), requiredString(node, "epoch", null));
            case "cursor":
                return parseCursor(node);
            case "auth":
                return new ClientMessage.Auth(requiredString(node, "token", null));
            default:
                throw new BadMessageException("Unknown message type", null);
        }
    }

    private ClientMessage.Op parseOp(Map<?, ?> node) {
        String id = node.get("id") instanceof String text ? text : null;
        if (id == null || !isOpId(id)) {
            throw new BadMessageException("An op needs an id of the form <clientId>:<seq>", null);
        }
        long rev = revision(node, id);
        if (!(node.get("op") instanceof List<?> op)) {
            throw new BadMessageException("An op needs \"op\": an array of components", id);
        }
        if (op.size() > maxOpComponents) {
            throw new BadMessageException(
                    ErrorCode.TOO_LARGE,
                    "An op may have at most " + maxOpComponents + " components (coedit.documents.max-op-components)",
                    id);
        }
        List<Object> components = new ArrayList<>(op.size());
        for (Object component : op) {
            components.add(component(component));
        }
        try {
            return new ClientMessage.Op(rev, TextOperation.fromComponents(components), id);
        } catch (InvalidOperationException ex) {
            throw new BadMessageException(ex, id);
        }
    }

    /**
     * {@code <clientId>:<seq>}: a client-chosen id of 1 to 128 code points, without whitespace or colons, then a
     * sequence number of 1 to 18 digits. Checked by a loop: a regular expression was a third of an op's parsing.
     */
    static boolean isOpId(String id) {
        int colon = id.indexOf(':');
        int digits = id.length() - colon - 1;
        if (colon <= 0 || digits < 1 || digits > MAX_SEQ_DIGITS) {
            return false;
        }
        for (int i = colon + 1; i < id.length(); i++) {
            if (id.charAt(i) < '0' || id.charAt(i) > '9') {
                return false;
            }
        }
        for (int i = 0; i < colon; i++) {
            char c = id.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r') {
                return false;
            }
        }
        return id.codePointCount(0, colon) <= MAX_CLIENT_ID_CODE_POINTS;
    }

    /**
     * Whole numbers that fit a long pass as Long, strings as String; other numbers as double (as a JavaScript client
     * means them), anything else as its JSON kind, for OT to reject.
     */
    private static Object component(Object component) {
        if (component instanceof BigDecimal number) {
            return number.doubleValue();
        }
        if (component instanceof List) {
            return List.of(); // only its kind is worth telling the client; its contents are never read
        }
        if (component instanceof Map) {
            return Map.of();
        }
        return component; // Long, Double, String, Boolean or null
    }

    private ClientMessage.Cursor parseCursor(Map<?, ?> node) {
        int pos = nonNegativeInt(node.get("pos"), "pos");
        Object sel = node.get("sel");
        if (sel == null) {
            return new ClientMessage.Cursor(pos, pos, pos);
        }
        if (!(sel instanceof List<?> ends) || ends.size() != 2) {
            throw new BadMessageException("\"sel\" is an array [start, end]", null);
        }
        return new ClientMessage.Cursor(pos, nonNegativeInt(ends.get(0), "sel"), nonNegativeInt(ends.get(1), "sel"));
    }

    private static long revision(Map<?, ?> node, String id) {
        if (!(node.get("rev") instanceof Long rev) || rev < 0) {
            throw new BadMessageException("\"rev\" is a revision number (0 or more)", id);
        }
        return rev;
    }

    private static int nonNegativeInt(Object value, String field) {
        if (!(value instanceof Long number) || number < 0 || number > Integer.MAX_VALUE) {
            throw new BadMessageException("\"" + field + "\" is a position (0 or more)", null);
        }
        return number.intValue();
    }

    private static String requiredString(Map<?, ?> node, String field, String id) {
        if (!(node.get(field) instanceof String value) || value.isEmpty()) {
            throw new BadMessageException("\"" + field + "\" is required", id);
        }
        return value;
    }
}
