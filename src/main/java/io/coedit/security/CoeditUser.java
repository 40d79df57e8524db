package io.coedit.security;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Who a validated token speaks for and what it may do.
 *
 * @param id the {@code sub} claim
 * @param name display name, the {@code name} claim or the subject when absent
 * @param scopes granted scopes
 * @param documents document ids the token is limited to; {@code *} means any
 * @param expiresAt the token's {@code exp}
 * @param issuedAt the token's {@code iat}, or {@code null} when the token has none
 */
public record CoeditUser(
        String id, String name, Set<Scope> scopes, Set<String> documents, Instant expiresAt, Instant issuedAt) {

    private static final String ANY_DOCUMENT = "*";

    public CoeditUser {
        scopes = Set.copyOf(scopes);
        documents = Set.copyOf(documents);
    }

    public static CoeditUser from(Jwt jwt) {
        String name = jwt.getClaimAsString("name");
        List<String> docs = jwt.hasClaim("docs") ? jwt.getClaimAsStringList("docs") : List.of(ANY_DOCUMENT);
        return new CoeditUser(
                jwt.getSubject(),
                name == null || name.isBlank() ? jwt.getSubject() : name,
                parseScopes(jwt.getClaimAsString("scope")),
                Set.copyOf(docs),
                jwt.getExpiresAt(),
                jwt.getIssuedAt());
    }

    /** The user behind an authentication made by the resource server, or {@code null} for anything else. */
    public static CoeditUser from(Authentication authentication) {
        if (authentication instanceof JwtAuthenticationToken token && token.isAuthenticated()) {
            return from(token.getToken());
        }
        return null;
    }

    private static Set<Scope> parseScopes(String claim) {
        if (claim == null) {
            return Set.of();
        }
        EnumSet<Scope> granted = EnumSet.noneOf(Scope.class);
        for (String value : claim.trim().split("\\s+")) {
            for (Scope scope : Scope.values()) {
                if (scope.claimValue().equals(value)) {
                    granted.add(scope);
                }
            }
        }
        return granted;
    }

    public boolean covers(String documentId) {
        return documents.contains(ANY_DOCUMENT) || documents.contains(documentId);
    }

    public boolean canRead(String documentId) {
        return covers(documentId) && (scopes.contains(Scope.DOC_READ) || scopes.contains(Scope.DOC_WRITE));
    }

    public boolean canWrite(String documentId) {
        return covers(documentId) && scopes.contains(Scope.DOC_WRITE);
    }

    public boolean canPublishEvents() {
        return scopes.contains(Scope.EVENTS_PUBLISH);
    }

    public boolean canAdministerSessions() {
        return scopes.contains(Scope.SESSIONS_ADMIN);
    }
}
