package io.coedit.events;

import java.time.Instant;
import java.util.List;

import io.coedit.document.DocumentId;

/** Who has a session open on a document now, on every instance (the WebSocket side answers it). */
public interface DocumentMembers {

    /**
     * One open session.
     *
     * @param since when the session joined
     */
    record Present(String userId, String name, Instant since) {}

    List<Present> present(DocumentId id);
}
