package io.coedit.security;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.SecretKey;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * Token validation through Spring Security's Nimbus decoder: HS256 with the shared secret, or RS256 keys from
 * the standard {@code spring.security.oauth2.resourceserver.jwt.jwk-set-uri} when that is set. Either way the
 * algorithm is pinned, so {@code alg: none} and algorithm confusion are rejected by the decoder itself.
 */
@Configuration(proxyBeanMethods = false)
class JwtConfiguration {

    private static final OAuth2Error REVOKED =
            new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, "The token was revoked", null);

    /**
     * The standard claim conversions, except that {@code iss} stays the string it is. The default tries to read it
     * as a URL first, and for an issuer that is not one (Coedit's default, {@code coedit}) that costs a thrown and
     * caught exception on every handshake. {@link JwtIssuerValidator} compares strings either way.
     */
    private static final MappedJwtClaimSetConverter ISSUER_AS_GIVEN =
            MappedJwtClaimSetConverter.withDefaults(Map.of(JwtClaimNames.ISS, issuer -> issuer.toString()));

    @Bean
    SecretKey coeditTokenKey(SecurityProperties properties) {
        return TokenKeys.hmacKey(properties.jwt().secret());
    }

    @Bean
    JwtDecoder jwtDecoder(
            SecurityProperties properties,
            SecretKey coeditTokenKey,
            TokenRevocations revocations,
            @Value("${spring.security.oauth2.resourceserver.jwt.jwk-set-uri:}") String jwkSetUri) {
        NimbusJwtDecoder decoder = jwkSetUri.isBlank()
                ? NimbusJwtDecoder.withSecretKey(coeditTokenKey)
                        .macAlgorithm(MacAlgorithm.HS256)
                        .build()
                : NimbusJwtDecoder.withJwkSetUri(jwkSetUri)
                        .jwsAlgorithm(SignatureAlgorithm.RS256)
                        .build();
        decoder.setClaimSetConverter(ISSUER_AS_GIVEN);
        decoder.setJwtValidator(validator(properties.jwt(), revocations));
        return decoder;
    }

    @Bean
    JwtEncoder devTokenEncoder(SecretKey coeditTokenKey) {
        return NimbusJwtEncoder.withSecretKey(coeditTokenKey)
                .algorithm(MacAlgorithm.HS256)
                .build();
    }

    static OAuth2TokenValidator<Jwt> validator(SecurityProperties.Jwt jwt, TokenRevocations revocations) {
        List<OAuth2TokenValidator<Jwt>> validators = List.of(
                new JwtTimestampValidator(jwt.clockSkew()),
                new JwtClaimValidator<Instant>("exp", Objects::nonNull),
                new JwtClaimValidator<String>("sub", sub -> sub != null && !sub.isBlank()),
                new JwtIssuerValidator(jwt.issuer()),
                new JwtAudienceValidator(jwt.audience()),
                // a revoked token is refused wherever a token is checked: REST, the handshake and in-band refreshes
                token -> revocations.isRevoked(token.getSubject(), token.getIssuedAt())
                        ? OAuth2TokenValidatorResult.failure(REVOKED)
                        : OAuth2TokenValidatorResult.success());
        return new DelegatingOAuth2TokenValidator<>(validators);
    }
}
