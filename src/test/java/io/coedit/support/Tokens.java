package io.coedit.support;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/** Mints tokens for tests, good and bad, with Nimbus directly (independent of the code under test). */
public final class Tokens {

    public static final String SECRET = "test-secret-that-is-at-least-32-bytes-long!";

    private String subject = "alice";
    private String name = "Alice";
    private String scope = "doc:read doc:write";
    private List<String> docs = List.of("*");
    private String issuer = "coedit";
    private String audience = "coedit";
    private Instant expiresAt = Instant.now().plus(Duration.ofHours(1));
    private Instant issuedAt;
    private String secret = SECRET;
    private final Map<String, Object> extra = new LinkedHashMap<>();

    public static Tokens user(String subject) {
        Tokens tokens = new Tokens();
        tokens.subject = subject;
        tokens.name = Character.toUpperCase(subject.charAt(0)) + subject.substring(1);
        return tokens;
    }

    public static String valid() {
        return user("alice").sign();
    }

    public Tokens scope(String value) {
        this.scope = value;
        return this;
    }

    public Tokens docs(String... ids) {
        this.docs = List.of(ids);
        return this;
    }

    public Tokens issuer(String value) {
        this.issuer = value;
        return this;
    }

    public Tokens audience(String value) {
        this.audience = value;
        return this;
    }

    public Tokens expiresIn(Duration duration) {
        this.expiresAt = Instant.now().plus(duration);
        return this;
    }

    public Tokens issuedAt(Instant value) {
        this.issuedAt = value;
        return this;
    }

    public Tokens signedWith(String otherSecret) {
        this.secret = otherSecret;
        return this;
    }

    /** Any further claim, e.g. the dev-token mark {@code coedit_dev}. */
    public Tokens claim(String name, Object value) {
        this.extra.put(name, value);
        return this;
    }

    private JWTClaimsSet claims() {
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
                .subject(subject)
                .claim("name", name)
                .claim("scope", scope)
                .claim("docs", docs)
                .issuer(issuer)
                .audience(audience)
                .issueTime(Date.from(issuedAt != null ? issuedAt : expiresAt.minus(Duration.ofHours(1))))
                .expirationTime(Date.from(expiresAt));
        extra.forEach(builder::claim);
        return builder.build();
    }

    public String sign() {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims());
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The same claims with {@code alg: none} and no signature. */
    public String unsigned() {
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        String header = encoder.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = encoder.encodeToString(claims().toString().getBytes(StandardCharsets.UTF_8));
        return header + "." + payload + ".";
    }

    /** The same claims signed RS256 with a key the server has never seen. */
    public String signedRs256() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims());
            jwt.sign(
                    new RSASSASigner((RSAPrivateKey) generator.generateKeyPair().getPrivate()));
            return jwt.serialize();
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }
}
