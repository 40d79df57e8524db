package io.coedit.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * Users whose tokens issued before a moment are refused ({@code DELETE /api/users/{userId}/sessions}). Each
 * revocation is kept for {@code coedit.security.revocation-lifetime}, which must cover the longest token lifetime:
 * a token issued before the cutoff has expired by then. This instance's copy; in a cluster every instance learns
 * each revocation over Redis.
 */
@Component
public class TokenRevocations {

    /**
     * @param cutoff tokens of the user issued before this are refused
     * @param keepUntil when the revocation can be forgotten
     */
    public record Revocation(Instant cutoff, Instant keepUntil) {}

    private final Map<String, Revocation> byUser = new ConcurrentHashMap<>();
    private final Duration lifetime;
    private final Clock clock;

    TokenRevocations(SecurityProperties properties, Clock clock) {
        this.lifetime = properties.revocationLifetime();
        this.clock = clock;
    }

    /** A revocation of the user's tokens issued before now, kept for the configured lifetime. */
    public Revocation revocationFromNow() {
        Instant now = clock.instant();
        return new Revocation(now, now.plus(lifetime));
    }

    /** Records a revocation (made here or learned from another instance); a later cutoff wins. */
    public void record(String userId, Revocation revocation) {
        byUser.merge(userId, revocation, (old, fresh) -> fresh.cutoff().isAfter(old.cutoff()) ? fresh : old);
    }

    /**
     * True for a token of a revoked user issued before the cutoff. A token without {@code iat} cannot show that it
     * is newer, so it is refused too. {@code iat} has whole seconds: a token issued in the same second as the
     * revocation is refused.
     */
    public boolean isRevoked(String userId, Instant issuedAt) {
        Revocation revocation = byUser.get(userId);
        if (revocation == null) {
            return false;
        }
        if (!clock.instant().isBefore(revocation.keepUntil())) {
            byUser.remove(userId, revocation);
            return false;
        }
        return issuedAt == null || issuedAt.isBefore(revocation.cutoff());
    }

    public boolean isRevoked(CoeditUser user) {
        return isRevoked(user.id(), user.issuedAt());
    }

    /** Drops revocations past their lifetime. */
    public void forgetExpired() {
        Instant now = clock.instant();
        byUser.values().removeIf(revocation -> !now.isBefore(revocation.keepUntil()));
    }
}
