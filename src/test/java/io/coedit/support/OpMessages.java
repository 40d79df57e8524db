package io.coedit.support;

import java.util.List;
import java.util.Map;

/** Client op messages as tests send them over a raw {@link WsClient}. */
public final class OpMessages {

    private OpMessages() {}

    /** An {@code op} frame appending {@code text} to a document of {@code length}, written on {@code rev}. */
    public static Map<String, Object> insertAtEnd(long rev, int length, String text, String id) {
        return Map.of("type", "op", "rev", rev, "op", length == 0 ? List.of(text) : List.of(length, text), "id", id);
    }
}
