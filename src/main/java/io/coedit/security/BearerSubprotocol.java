package io.coedit.security;

/** Browsers cannot set headers on a WebSocket: they offer the token as a subprotocol, {@code bearer.<jwt>}. */
public final class BearerSubprotocol {

    public static final String PREFIX = "bearer.";

    private BearerSubprotocol() {}
}
