package io.coedit.bench;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The fields of a server frame (docs/protocol.md) that a load client checks, read with the streaming parser; the
 * rest are skipped. Every session of the hot-document workload reads 1,000 ops a second; reading each into a tree
 * and its op through {@code convertValue} was 62% of the generator's CPU samples there, on the two cores it
 * shares with the instances it measures. Streamed, a frame costs about 40% less.
 */
record ServerFrame(String type, long rev, String id, List<Object> op, String content, String code) {

    private static final long NO_REV = -1;

    static ServerFrame parse(String frame) {
        try (JsonParser parser = BenchClient.JSON.createParser(frame)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object: " + frame);
            }
            String type = null;
            long rev = NO_REV;
            String id = null;
            List<Object> op = null;
            String content = null;
            String code = null;
            for (String name = parser.nextName(); name != null; name = parser.nextName()) {
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "type" -> type = parser.getValueAsString();
                    case "rev" -> rev = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : NO_REV;
                    case "id" -> id = parser.getValueAsString();
                    case "content" -> content = parser.getValueAsString();
                    case "code" -> code = parser.getValueAsString();
                    case "op" -> op = components(parser, value);
                    default -> parser.skipChildren();
                }
            }
            return new ServerFrame(type, rev, id, op, content, code);
        }
    }

    /** Retains and deletes as Integers, inserts as Strings: what {@code TextOperation.fromComponents} reads. */
    private static List<Object> components(JsonParser parser, JsonToken start) {
        if (start != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("op is not an array");
        }
        List<Object> components = new ArrayList<>(4);
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            switch (token) {
                case VALUE_STRING -> components.add(parser.getString());
                case VALUE_NUMBER_INT -> components.add(parser.getIntValue());
                default -> throw new IllegalArgumentException("op component " + token);
            }
        }
        return components;
    }

    /** The frame's revision; a frame that must carry one and does not is a protocol error. */
    long revision() {
        if (rev == NO_REV) {
            throw new IllegalStateException("a " + type + " frame without its rev");
        }
        return rev;
    }
}
