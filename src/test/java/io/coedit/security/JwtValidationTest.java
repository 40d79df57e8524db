package io.coedit.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

import io.coedit.support.MutableClock;
import io.coedit.support.Tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JwtValidationTest {

    private final SecurityProperties properties = issuedBy("coedit");

    private final TokenRevocations revocations = new TokenRevocations(properties, Clock.systemUTC());
    private final JwtConfiguration configuration = new JwtConfiguration();
    private final JwtDecoder decoder =
            configuration.jwtDecoder(properties, configuration.coeditTokenKey(properties), revocations, "");

    private static SecurityProperties issuedBy(String issuer) {
        return new SecurityProperties(
                new SecurityProperties.Jwt(Tokens.SECRET, issuer, "coedit", Duration.ofSeconds(30)),
                true,
                Duration.ofHours(1),
                Duration.ofHours(12),
                60,
                false,
                Duration.ofHours(24));
    }

    @Test
    void acceptsTokenExpiredWithinClockSkew() {
        String token = Tokens.user("alice").expiresIn(Duration.ofSeconds(-5)).sign();
        assertThat(decoder.decode(token).getSubject()).isEqualTo("alice");
    }

    @Test
    void rejectsTokenExpiredBeyondClockSkew() {
        String token = Tokens.user("alice").expiresIn(Duration.ofSeconds(-31)).sign();
        assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(JwtException.class);
    }

    @Test
    void readsScopesAndDocumentsFromClaims() {
        CoeditUser user = CoeditUser.from(decoder.decode(Tokens.user("bob")
                .scope("doc:read events:publish")
                .docs("a", "b")
                .sign()));
        assertThat(user.name()).isEqualTo("Bob");
        assertThat(user.canRead("a")).isTrue();
        assertThat(user.canRead("c")).isFalse();
        assertThat(user.canWrite("a")).isFalse();
        assertThat(user.canPublishEvents()).isTrue();
    }

    @Test
    void refusesTokensIssuedBeforeTheirUsersRevocationButNotLaterOnesOrOtherUsers() {
        String old =
                Tokens.user("mallory").issuedAt(Instant.now().minusSeconds(60)).sign();
        String other =
                Tokens.user("alice").issuedAt(Instant.now().minusSeconds(60)).sign();
        revocations.record("mallory", revocations.revocationFromNow());
        String fresh =
                Tokens.user("mallory").issuedAt(Instant.now().plusSeconds(2)).sign();

        assertThatThrownBy(() -> decoder.decode(old))
                .isInstanceOf(JwtException.class)
                .hasMessageContaining("revoked");
        assertThat(decoder.decode(fresh).getSubject()).isEqualTo("mallory");
        assertThat(decoder.decode(other).getSubject()).isEqualTo("alice");
    }

    @Test
    void forgetsARevocationAfterItsLifetime() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        TokenRevocations expiring = new TokenRevocations(properties, clock);
        expiring.record("mallory", expiring.revocationFromNow());
        Instant issued = clock.instant().minusSeconds(1);
        assertThat(expiring.isRevoked("mallory", issued)).isTrue();
        assertThat(expiring.isRevoked("mallory", null))
                .as("a token without iat cannot prove it is newer")
                .isTrue();

        clock.advance(Duration.ofHours(24));
        assertThat(expiring.isRevoked("mallory", issued)).isFalse();
    }

    @Test
    void keepsTheLaterCutoffWhenRevocationsArriveOutOfOrder() {
        Instant now = Instant.now();
        revocations.record("mallory", new TokenRevocations.Revocation(now, now.plus(Duration.ofHours(1))));
        revocations.record(
                "mallory", new TokenRevocations.Revocation(now.minusSeconds(30), now.plus(Duration.ofHours(1))));
        assertThat(revocations.isRevoked("mallory", now.minusSeconds(10))).isTrue();
    }

    @Test
    void acceptsOnlyTheConfiguredIssuerWhetherOrNotItIsAUrl() {
        assertThat(decoder.decode(Tokens.user("alice").sign()).getClaimAsString("iss"))
                .as("the issuer claim is kept as the string it is")
                .isEqualTo("coedit");
        assertThatThrownBy(() ->
                        decoder.decode(Tokens.user("alice").issuer("coedit2").sign()))
                .isInstanceOf(JwtException.class);

        String idp = "https://id.example.com/realms/coedit";
        SecurityProperties withUrlIssuer = issuedBy(idp);
        JwtDecoder idpDecoder =
                configuration.jwtDecoder(withUrlIssuer, configuration.coeditTokenKey(withUrlIssuer), revocations, "");
        assertThat(idpDecoder.decode(Tokens.user("alice").issuer(idp).sign()).getSubject())
                .isEqualTo("alice");
        assertThatThrownBy(() ->
                        idpDecoder.decode(Tokens.user("alice").issuer(idp + "/").sign()))
                .isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> idpDecoder.decode(Tokens.user("alice").sign())).isInstanceOf(JwtException.class);
    }

    @Test
    void refusesShortSecrets() {
        assertThatThrownBy(() -> TokenKeys.hmacKey("too-short"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("32 bytes");
    }
}
