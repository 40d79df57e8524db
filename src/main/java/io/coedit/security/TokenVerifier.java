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
            throw new InvalidTokenException("missing");
        }
        try {
            return CoeditUser.from(decoder.decode(token));
        } catch (JwtException ex) {
            throw new InvalidTokenException(
                    String.valueOf(ex.getMessage()).contains("revoked") ? "revoked" : "invalid");
        }
    }

    /** A rejected token; deliberately without the decoder's reason, which could echo token content. */
    public static final class InvalidTokenException extends RuntimeException {
        private final String kind;

        InvalidTokenException(String kind) {
            super("The token is invalid or expired", null, false, false);
            this.kind = kind;
        }

        /** {@code missing}, {@code invalid} or {@code revoked}: the reasons of {@code coedit.auth.failures}. */
        public String kind() {
            return kind;
        }
    }
}
