package io.coedit.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

import io.coedit.support.Tokens;

class JwtValidationTest {

    private final SecurityProperties properties = new SecurityProperties(
            new SecurityProperties.Jwt(Tokens.SECRET, "coedit", "coedit", Duration.ofSeconds(30)), true,
            Duration.ofHours(1), Duration.ofHours(12), 60, false);
    private final JwtConfiguration configuration = new JwtConfiguration();
    private final JwtDecoder decoder = configuration.jwtDecoder(properties,
            configuration.coeditTokenKey(properties), "");

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
        CoeditUser user = CoeditUser.from(decoder.decode(Tokens.user("bob").scope("doc:read events:publish")
                .docs("a", "b").sign()));
        assertThat(user.name()).isEqualTo("Bob");
        assertThat(user.canRead("a")).isTrue();
        assertThat(user.canRead("c")).isFalse();
        assertThat(user.canWrite("a")).isFalse();
        assertThat(user.canPublishEvents()).isTrue();
    }

    @Test
    void refusesShortSecrets() {
        assertThatThrownBy(() -> TokenKeys.hmacKey("too-short")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("32 bytes");
    }
}
