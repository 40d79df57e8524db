package io.coedit.security;

import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.stereotype.Component;

/** Validates a raw token outside the HTTP filter chain, as the in-band {@code auth} message needs. */
@Component
public class TokenVerifier {

    private final JwtDecoder decoder;

    TokenVerifier(JwtDecoder decoder) {
        this.decoder = decoder;
    }

    /**
     * @throws InvalidTokenException for any token the HTTP chain would reject with 401
     */
    public CoeditUser verify(String token) {
        if (token == null || token.isBlank()) {
            throw new InvalidTokenException();
        }
        try {
            return CoeditUser.from(decoder.decode(token));
        } catch (JwtException ex) {
            throw new InvalidTokenException();
        }
    }

    /** A rejected token; deliberately without the decoder's reason, which could echo token content. */
    public static final class InvalidTokenException extends RuntimeException {
        InvalidTokenException() {
            super("The token is invalid or expired", null, false, false);
        }
    }
}
