package io.coedit.security;

import java.time.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Token settings ({@code coedit.security.*}).
 *
 * @param jwt how tokens are validated
 * @param devTokens whether {@code POST /api/auth/dev-token} issues tokens to anyone (for demos; off in production)
 * @param devTokenTtl lifetime of a development token
 * @param devTokenMaxLifetime how long renewals can keep one development identity alive, from its first issue
 * @param devTokensPerMinute development tokens one client address may be issued per minute (429 beyond)
 * @param allowQueryToken whether the {@code access_token} query parameter is accepted (it leaks into access logs)
 * @param revocationLifetime how long a revocation ({@code DELETE /api/users/{userId}/sessions}) refuses the user's
 *            older tokens: at least the longest lifetime of a token your identity provider issues
 */
@Validated
@ConfigurationProperties("coedit.security")
public record SecurityProperties(
        @Valid @NotNull @DefaultValue Jwt jwt,
        @DefaultValue("true") boolean devTokens,
        @DefaultValue("1h") @NotNull Duration devTokenTtl,
        @DefaultValue("12h") @NotNull Duration devTokenMaxLifetime,
        @DefaultValue("60") @Min(1) int devTokensPerMinute,
        @DefaultValue("false") boolean allowQueryToken,
        @DefaultValue("24h") @NotNull Duration revocationLifetime) {

    /**
     * @param secret HS256 key, at least 32 bytes; empty means a random per-process key (one instance, development
     *               only)
     * @param issuer required {@code iss} claim
     * @param audience required entry of the {@code aud} claim
     * @param clockSkew tolerance when checking {@code exp} and {@code nbf}
     */
    public record Jwt(
            @DefaultValue("") String secret,
            @DefaultValue("coedit") @NotBlank String issuer,
            @DefaultValue("coedit") @NotBlank String audience,
            @DefaultValue("30s") @NotNull Duration clockSkew) {}
}
