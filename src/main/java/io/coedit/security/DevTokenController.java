package io.coedit.security;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import lombok.extern.slf4j.Slf4j;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.coedit.error.ErrorCode;
import io.coedit.error.Problems;

/**
 * Issues demo tokens (read and write on every document) so the editor works out of the box. Each carries the
 * {@value #DEV_CLAIM} claim with the time its identity was first issued; only such tokens are renewed here, with
 * their own scopes and documents, and never past {@code coedit.security.dev-token-max-lifetime} from that time.
 */
@Slf4j
@RestController
class DevTokenController {

    static final String PATH = "/api/auth/dev-token";
    static final String DEV_USER_PREFIX = "dev-";
    /** Marks a token this endpoint issued; its value is the first issue time of the identity, in epoch seconds. */
    static final String DEV_CLAIM = "coedit_dev";

    private final SecurityProperties properties;
    private final JwtEncoder encoder;
    private final DevTokenIssueLimiter limiter;

    DevTokenController(SecurityProperties properties, JwtEncoder devTokenEncoder) {
        this.properties = properties;
        this.encoder = devTokenEncoder;
        this.limiter = new DevTokenIssueLimiter(properties.devTokensPerMinute());
    }

    record DevTokenRequest(@NotBlank @Size(max = 64) String name) {}

    record DevTokenResponse(String token, Instant expiresAt, String userId) {}

    /**
     * Issues a token for a new development user, or — when the request carries a still valid development token
     * issued here — renews it for the same user with the same scopes and documents, so a refresh does not turn
     * someone into a stranger. Other tokens are never renewed here: that would widen their access.
     */
    @PostMapping(PATH)
    DevTokenResponse issue(
            @Valid @RequestBody DevTokenRequest request, Authentication authentication, HttpServletRequest http) {
        if (!properties.devTokens()) {
            throw problem(ErrorCode.NOT_FOUND, "Development tokens are disabled");
        }
        if (!limiter.tryIssue(http.getRemoteAddr(), System.nanoTime())) {
            throw problem(
                    ErrorCode.RATE_LIMITED, "Too many development tokens from this address; try again in a minute");
        }
        Instant now = Instant.now();
        Jwt current = authentication instanceof JwtAuthenticationToken token ? token.getToken() : null;
        Long firstIssued = current == null ? null : firstIssued(current);
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
                .issuer(properties.jwt().issuer())
                .audience(List.of(properties.jwt().audience()))
                .issuedAt(now)
                .claim("name", request.name().strip());
        String userId;
        Instant since;
        if (firstIssued != null) {
            since = Instant.ofEpochSecond(firstIssued);
            if (!now.isBefore(since.plus(properties.devTokenMaxLifetime()))) {
                throw problem(
                        ErrorCode.FORBIDDEN,
                        "This development identity is older than its maximum lifetime; request a new token");
            }
            userId = current.getSubject();
            claims.claim("scope", current.getClaimAsString("scope") == null ? "" : current.getClaimAsString("scope"));
            if (current.hasClaim("docs")) {
                claims.claim("docs", new ArrayList<>(current.getClaimAsStringList("docs")));
            }
        } else {
            since = now;
            userId = DEV_USER_PREFIX + UUID.randomUUID();
            claims.claim("scope", Scope.DOC_READ.claimValue() + " " + Scope.DOC_WRITE.claimValue())
                    .claim("docs", List.of("*"));
        }
        Instant expiresAt = earliest(now.plus(properties.devTokenTtl()), since.plus(properties.devTokenMaxLifetime()));
        claims.subject(userId).expiresAt(expiresAt).claim(DEV_CLAIM, since.getEpochSecond());
        String token = encoder.encode(JwtEncoderParameters.from(
                        JwsHeader.with(MacAlgorithm.HS256).build(), claims.build()))
                .getTokenValue();
        return new DevTokenResponse(token, expiresAt, userId);
    }

    /** The first issue time of a development token issued here, or null for any other token. */
    private static Long firstIssued(Jwt jwt) {
        Object value = jwt.getClaim(DEV_CLAIM);
        if (value instanceof Number number
                && jwt.getSubject() != null
                && jwt.getSubject().startsWith(DEV_USER_PREFIX)) {
            return number.longValue();
        }
        return null;
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    @EventListener(ApplicationReadyEvent.class)
    void warnWhenEnabled() {
        if (properties.devTokens()) {
            log.warn(
                    "Development tokens are ON: anyone can get a token at POST {}; "
                            + "set coedit.security.dev-tokens=false in production",
                    PATH);
        }
    }

    private static ErrorResponseException problem(ErrorCode code, String detail) {
        return new ErrorResponseException(code.status(), Problems.of(code, detail), null);
    }
}
