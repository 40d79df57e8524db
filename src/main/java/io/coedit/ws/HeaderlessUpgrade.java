package io.coedit.ws;

import java.security.Principal;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.standard.StandardWebSocketUpgradeStrategy;

/**
 * Upgrades without handing the handshake's headers to the session, because both Spring and Tomcat would keep a copy
 * of them for the session's whole life (about 4 KB per idle session, even of the few headers
 * {@link SlimHandshakeRequest} lets through), and nothing reads them after the handshake: Spring has checked them
 * by the time the upgrade starts, and Tomcat checks them with {@code getHeader}, before it copies what
 * {@code getHeaderNames} lists.
 */
final class HeaderlessUpgrade extends StandardWebSocketUpgradeStrategy {

    @Override
    public void upgrade(
            ServerHttpRequest request,
            ServerHttpResponse response,
            String selectedProtocol,
            List<WebSocketExtension> selectedExtensions,
            Principal user,
            WebSocketHandler wsHandler,
            Map<String, Object> attrs) {
        HttpServletRequest servlet = ((ServletServerHttpRequest) request).getServletRequest();
        super.upgrade(
                new Checked(new Unlisted(servlet)),
                response,
                selectedProtocol,
                selectedExtensions,
                user,
                wsHandler,
                attrs);
    }

    /** The request as Spring's session sees it: its headers already checked, none to keep. */
    private static final class Checked extends ServletServerHttpRequest {
        Checked(HttpServletRequest request) {
            super(request);
        }

        @Override
        public HttpHeaders getHeaders() {
            return new HttpHeaders();
        }
    }

    /** Headers that can be read by name, for Tomcat's checks, but are not listed, so Tomcat copies none. */
    private static final class Unlisted extends HttpServletRequestWrapper {
        Unlisted(HttpServletRequest request) {
            super(request);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.emptyEnumeration();
        }
    }
}
