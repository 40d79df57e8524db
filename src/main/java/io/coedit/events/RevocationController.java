package io.coedit.events;

import java.time.Instant;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.coedit.security.TokenRevocations;

/**
 * Revoking a user now ({@code sessions:admin}, checked by the security chain): every session of the user closes
 * with 4403 on every instance, and the user's tokens issued before this call are refused from then on.
 */
@RestController
class RevocationController {

    /**
     * @param revokedBefore tokens of the user issued before this are refused
     * @param until when the revocation is forgotten ({@code coedit.security.revocation-lifetime} later)
     */
    record RevocationView(String userId, Instant revokedBefore, Instant until) {}

    private final EventBus bus;
    private final TokenRevocations revocations;

    RevocationController(EventBus bus, TokenRevocations revocations) {
        this.bus = bus;
        this.revocations = revocations;
    }

    @DeleteMapping("/api/users/{userId}/sessions")
    @ResponseStatus(HttpStatus.ACCEPTED)
    RevocationView revoke(@PathVariable String userId) {
        TokenRevocations.Revocation revocation = revocations.revocationFromNow();
        bus.revoke(UserIds.checked(userId), revocation);
        return new RevocationView(userId, revocation.cutoff(), revocation.keepUntil());
    }
}
