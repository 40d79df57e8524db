package io.coedit.security;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import lombok.extern.slf4j.Slf4j;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Issues demo tokens (read and write on every document) so the editor works out of the box. */
@Slf4j
@RestController
class DevTokenController {

    static final String PATH = "/api/auth/dev-token";
    static final String DEV_USER_PREFIX = "dev-";

    private final SecurityProperties properties;
    private final JwtEncoder encoder;

    DevTokenController(SecurityProperties properties, JwtEncoder devTokenEncoder) {
        this.properties = properties;
        this.encoder = devTokenEncoder;
    }

    record DevTokenRequest(@NotBlank @Size(max = 64) String name) {
    }

    record DevTokenResponse(String token, Instant expiresAt, String userId) {
    }

    /**
     * Issues a token for a new development user, or — when the request carries a still valid development token —
     * renews it for the same user, so a refresh does not turn someone into a stranger. Other tokens are never
     * renewed here: that would widen their scopes.
     */
    @PostMapping(PATH)
    DevTokenResponse issue(@Valid @RequestBody DevTokenRequest request, Authentication authentication) {
        if (!properties.devTokens()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "Development tokens are disabled");
        }
        Instant now = Instant.now();
        Instant expiresAt = now.plus(properties.devTokenTtl());
        CoeditUser current = CoeditUser.from(authentication);
        String userId = current != null && current.id().startsWith(DEV_USER_PREFIX)
                ? current.id() : DEV_USER_PREFIX + UUID.randomUUID();
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .issuer(properties.jwt().issuer())
                .audience(List.of(properties.jwt().audience()))
                .subject(userId)
                .issuedAt(now)
                .expiresAt(expiresAt)
                .claim("name", request.name().strip())
                .claim("scope", Scope.DOC_READ.claimValue() + " " + Scope.DOC_WRITE.claimValue())
                .claim("docs", List.of("*"))
                .build();
        String token = encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims))
                .getTokenValue();
        return new DevTokenResponse(token, expiresAt, userId);
    }

    @EventListener(ApplicationReadyEvent.class)
    void warnWhenEnabled() {
        if (properties.devTokens()) {
            log.warn("Development tokens are ON: anyone can get a token at POST {}; "
                    + "set coedit.security.dev-tokens=false in production", PATH);
        }
    }
}
