package io.coedit.security;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import lombok.extern.slf4j.Slf4j;

/** The HS256 key shared by token validation and development tokens. */
@Slf4j
final class TokenKeys {

    static final int MIN_SECRET_BYTES = 32;

    private TokenKeys() {}

    static SecretKey hmacKey(String configuredSecret) {
        if (configuredSecret == null || configuredSecret.isEmpty()) {
            // A random key keeps a fresh checkout working with no configuration; instances of a cluster
            // must share coedit.security.jwt.secret or they reject each other's tokens.
            log.warn("coedit.security.jwt.secret is not set: using a random key; tokens die with this process");
            byte[] random = new byte[MIN_SECRET_BYTES];
            new SecureRandom().nextBytes(random);
            return new SecretKeySpec(random, "HmacSHA256");
        }
        byte[] bytes = configuredSecret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new IllegalStateException("coedit.security.jwt.secret must be at least " + MIN_SECRET_BYTES
                    + " bytes for HS256, got " + bytes.length);
        }
        return new SecretKeySpec(bytes, "HmacSHA256");
    }
}
