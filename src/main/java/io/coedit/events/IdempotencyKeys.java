package io.coedit.events;

import java.time.Duration;
import java.util.Optional;

/** Remembers which event an {@code Idempotency-Key} produced, for a window, so a retried push is delivered once. */
public interface IdempotencyKeys {

    /**
     * What a key produced: the event's id, and a fingerprint of the request, so a key reused for another request
     * is told apart from a retry.
     */
    record Claim(String eventId, String fingerprint) {

        public String encoded() {
            return eventId + " " + fingerprint;
        }

        public static Claim decode(String encoded) {
            int space = encoded.indexOf(' ');
            return new Claim(encoded.substring(0, space), encoded.substring(space + 1));
        }
    }

    /**
     * Claims the key (already scoped to its target) unless a claim within the window holds it.
     *
     * @return the earlier claim, or empty when this one now holds the key
     */
    Optional<Claim> claim(String key, Claim claim, Duration window);

    /** Gives up a claim whose event could not be published, so a retry can deliver it. */
    void release(String key, Claim claim);
}
