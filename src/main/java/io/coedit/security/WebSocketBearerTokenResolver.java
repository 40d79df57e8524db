package io.coedit.security;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/**
 * Finds the token in the {@code Authorization} header, the {@code access_token} query parameter (when allowed),
 * or — since browsers cannot set headers on a WebSocket — a {@code bearer.<jwt>} entry among the offered
 * WebSocket subprotocols.
 */
final class WebSocketBearerTokenResolver implements BearerTokenResolver {

    static final String SUBPROTOCOL_PREFIX = BearerSubprotocol.PREFIX;

    private final DefaultBearerTokenResolver standard = new DefaultBearerTokenResolver();

    WebSocketBearerTokenResolver(boolean allowQueryToken) {
        standard.setAllowUriQueryParameter(allowQueryToken);
    }

    @Override
    public String resolve(HttpServletRequest request) {
        String token = standard.resolve(request);
        if (token != null) {
            return token;
        }
        var offered = request.getHeaders("Sec-WebSocket-Protocol");
        while (offered != null && offered.hasMoreElements()) {
            for (String protocol : offered.nextElement().split(",")) {
                String trimmed = protocol.trim();
                if (trimmed.startsWith(SUBPROTOCOL_PREFIX) && trimmed.length() > SUBPROTOCOL_PREFIX.length()) {
                    return trimmed.substring(SUBPROTOCOL_PREFIX.length());
                }
            }
        }
        return null;
    }
}
