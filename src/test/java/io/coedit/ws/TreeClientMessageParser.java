package io.coedit.ws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.coedit.document.DocumentProperties;
import io.coedit.error.ErrorCode;
import io.coedit.ot.InvalidOperationException;
import io.coedit.ot.TextOperation;

/**
 * How client frames were parsed before {@link ClientMessageParser} read them by hand: through a mapper's tree. Kept as
 * the reference {@code ClientMessageParserTest} compares the parser with, frame by frame.
 */
final class TreeClientMessageParser {

    /** {@code <clientId>:<seq>}: a client-chosen id without spaces or colons, then a sequence number. */
    static final Pattern OP_ID = Pattern.compile("[^\\s:]{1,128}:[0-9]{1,18}");

    private final JsonMapper mapper;
    private final int maxOpComponents;

    TreeClientMessageParser(JsonMapper mapper, DocumentProperties documents) {
        this.mapper = mapper;
        this.maxOpComponents = documents.maxOpComponents();
    }

    ClientMessage parse(String text) {
        JsonNode node;
        try {
            node = mapper.readTree(text);
        } catch (JacksonException ex) {
            throw new BadMessageException("Malformed JSON", null);
        }
        if (node == null || !node.isObject()) {
            throw new BadMessageException("A message is a JSON object with a \"type\"", null);
        }
        String type = node.path("type").isString() ? node.get("type").stringValue() : "";
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

    private ClientMessage.Op parseOp(JsonNode node) {
        String id = node.path("id").isString() ? node.get("id").stringValue() : null;
        if (id == null || !OP_ID.matcher(id).matches()) {
            throw new BadMessageException("An op needs an id of the form <clientId>:<seq>", null);
        }
        long rev = revision(node, id);
        JsonNode op = node.get("op");
        if (op == null || !op.isArray()) {
            throw new BadMessageException("An op needs \"op\": an array of components", id);
        }
        if (op.size() > maxOpComponents) {
            throw new BadMessageException(
                    ErrorCode.TOO_LARGE,
                    "An op may have at most " + maxOpComponents + " components (coedit.documents.max-op-components)",
                    id);
        }
        List<Object> components = new ArrayList<>(op.size());
        for (JsonNode component : op) {
            components.add(component(component));
        }
        try {
            return new ClientMessage.Op(rev, TextOperation.fromComponents(components), id);
        } catch (InvalidOperationException ex) {
            throw new BadMessageException(ex, id);
        }
    }

    /** Integral numbers and strings pass as Long and String; anything else as its JSON kind, for OT to reject. */
    private static Object component(JsonNode component) {
        if (component.isIntegralNumber() && component.canConvertToLong()) {
            return component.longValue();
        }
        if (component.isString()) {
            return component.stringValue();
        }
        if (component.isNumber()) {
            return component.doubleValue();
        }
        if (component.isBoolean()) {
            return component.booleanValue();
        }
        if (component.isNull()) {
            return null;
        }
        // only its kind is worth telling the client; its contents are never read
        return component.isArray() ? List.of() : Map.of();
    }

    private ClientMessage.Cursor parseCursor(JsonNode node) {
        int pos = nonNegativeInt(node.get("pos"), "pos");
        JsonNode sel = node.get("sel");
        if (sel == null || sel.isNull()) {
            return new ClientMessage.Cursor(pos, pos, pos);
        }
        if (!sel.isArray() || sel.size() != 2) {
            throw new BadMessageException("\"sel\" is an array [start, end]", null);
        }
        return new ClientMessage.Cursor(pos, nonNegativeInt(sel.get(0), "sel"), nonNegativeInt(sel.get(1), "sel"));
    }

    private static long revision(JsonNode node, String id) {
        JsonNode rev = node.get("rev");
        if (rev == null || !rev.isIntegralNumber() || !rev.canConvertToLong() || rev.longValue() < 0) {
            throw new BadMessageException("\"rev\" is a revision number (0 or more)", id);
        }
        return rev.longValue();
    }

    private static int nonNegativeInt(JsonNode value, String field) {
        if (value == null || !value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0) {
            throw new BadMessageException("\"" + field + "\" is a position (0 or more)", null);
        }
        return value.intValue();
    }

    private static String requiredString(JsonNode node, String field, String id) {
        JsonNode value = node.get(field);
        if (value == null || !value.isString() || value.stringValue().isEmpty()) {
            throw new BadMessageException("\"" + field + "\" is required", id);
        }
        return value.stringValue();
    }
}
