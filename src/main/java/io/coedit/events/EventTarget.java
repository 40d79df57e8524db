package io.coedit.events;

import io.coedit.document.DocumentId;

/** Whose sessions an event reaches. */
public sealed interface EventTarget {

    EventTarget EVERYONE = new Everyone();

    /** Names the target in idempotency keys; unambiguous, since an id's length precedes it. */
    String key();

    /** Every session of one document, on every instance. */
    record Document(DocumentId id) implements EventTarget {
        @Override
        public String key() {
            return "doc:" + id.value().length() + ":" + id.value();
        }
    }

    /** Every session of one user (the token's {@code sub}), on every instance. */
    record User(String userId) implements EventTarget {
        @Override
        public String key() {
            return "user:" + userId.length() + ":" + userId;
        }
    }

    /** Every connected session. */
    record Everyone() implements EventTarget {
        @Override
        public String key() {
            return "all";
        }
    }
}
