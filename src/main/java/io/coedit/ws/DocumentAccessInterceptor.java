package io.coedit.ws;

import java.util.Map;
import java.util.function.BooleanSupplier;

import lombok.extern.slf4j.Slf4j;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

import io.coedit.document.DocumentId;
import io.coedit.security.CoeditUser;

/**
 * Decides the upgrade after the security chain has validated the token: not while the instance drains (503), the
 * document id must be valid (400) and the token must cover the document (403). Rejections set the status and
 * return false, so no 101 is ever sent.
 */
@Slf4j
class DocumentAccessInterceptor implements HandshakeInterceptor {

    static final String PATH_PREFIX = "/ws/documents/";
    static final String DOCUMENT_ATTRIBUTE = "coedit.document";
    static final String USER_ATTRIBUTE = "coedit.user";

    private final BooleanSupplier draining;

    DocumentAccessInterceptor(BooleanSupplier draining) {
        this.draining = draining;
    }

    @Override
    public boolean beforeHandshake(
            ServerHttpRequest request,
            ServerHttpResponse response,
            WebSocketHandler handler,
            Map<String, Object> attributes) {
        if (draining.getAsBoolean()) {
            // shutting down: a load balancer retries the upgrade on another instance
            response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
            return false;
        }
        String path = request.getURI().getRawPath();
        String rawId = path.startsWith(PATH_PREFIX) ? path.substring(PATH_PREFIX.length()) : "";
        if (!DocumentId.isValid(rawId)) {
            response.setStatusCode(HttpStatus.BAD_REQUEST);
            log.debug("Handshake rejected: invalid document id");
            return false;
        }
        // the validated user, as SlimHandshakeRequest left it (the principal the upgrade sees is only the user's id)
        CoeditUser user = request instanceof ServletServerHttpRequest servlet
                        && servlet.getServletRequest().getAttribute(SlimHandshakeRequest.USER_ATTRIBUTE)
                                instanceof CoeditUser validated
                ? validated
                : null;
        if (user == null) {
            response.setStatusCode(HttpStatus.UNAUTHORIZED);
            return false;
        }
        if (!user.canRead(rawId)) {
            response.setStatusCode(HttpStatus.FORBIDDEN);
            log.debug("Handshake rejected: user {} may not open {}", user.id(), rawId);
            return false;
        }
        attributes.put(DOCUMENT_ATTRIBUTE, new DocumentId(rawId));
        attributes.put(USER_ATTRIBUTE, user);
        return true;
    }

    @Override
    public void afterHandshake(
            ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler, Exception exception) {}
}
