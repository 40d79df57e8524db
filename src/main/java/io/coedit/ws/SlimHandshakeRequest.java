package io.coedit.ws;

import java.io.IOException;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import io.coedit.security.BearerSubprotocol;
import io.coedit.security.CoeditUser;

/**
 * Runs after the security chain on WebSocket upgrades and hands Tomcat and Spring a request that carries only what
 * a session needs, because both keep the handshake for the session's whole life: Tomcat its request headers and
 * principal, Spring a copy of the headers and the principal again. Without this, every idle session holds the token
 * (in {@code Authorization} or the {@code bearer.} subprotocol, and in the decoded JWT with all its claims) and every
 * header the browser sent. The validated user goes along as a request attribute instead; the principal is its id.
 * The headers let through are for the upgrade's checks; {@link HeaderlessUpgrade} keeps the session from holding them.
 * No extension is offered on: permessage-deflate is declined.
 */
final class SlimHandshakeRequest extends OncePerRequestFilter {

    static final String USER_ATTRIBUTE = SlimHandshakeRequest.class.getName() + ".user";

    /**
     * What the upgrade itself reads: Tomcat's and Spring's handshake checks, and the origin check. Not
     * {@code Sec-WebSocket-Extensions}: this is where permessage-deflate, which browsers offer, is declined. Tomcat
     * negotiates it from that header by itself (an empty selection by Spring's handshake handler makes it fall back
     * to its built-in extensions), and its deflater and inflater would cost every browser session over 100 KB of
     * native zlib memory for messages of a few dozen bytes.
     */
    private static final Set<String> KEPT = Set.of(
            "host",
            "upgrade",
            "connection",
            "origin",
            "sec-websocket-key",
            "sec-websocket-version",
            "sec-websocket-protocol");

    private static final String PROTOCOL = "sec-websocket-protocol";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            chain.doFilter(request, response);
            return;
        }
        CoeditUser user = CoeditUser.from(SecurityContextHolder.getContext().getAuthentication());
        if (user != null) {
            request.setAttribute(USER_ATTRIBUTE, user);
        }
        chain.doFilter(new Slim(request, user), response);
    }

    /** The principal a session keeps: the user's id, nothing of the token. */
    record UserId(String getName) implements Principal {}

    private static final class Slim extends HttpServletRequestWrapper {
        private final Principal principal;

        Slim(HttpServletRequest request, CoeditUser user) {
            super(request);
            this.principal = user == null ? null : new UserId(user.id());
        }

        @Override
        public Principal getUserPrincipal() {
            return principal;
        }

        // an upgrade has no body: Spring would otherwise add these to the headers it keeps
        @Override
        public String getContentType() {
            return null;
        }

        @Override
        public int getContentLength() {
            return -1;
        }

        @Override
        public long getContentLengthLong() {
            return -1;
        }

        @Override
        public String getHeader(String name) {
            Enumeration<String> values = getHeaders(name);
            return values.hasMoreElements() ? values.nextElement() : null;
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            String key = name.toLowerCase(Locale.ROOT);
            if (!KEPT.contains(key)) {
                return Collections.emptyEnumeration();
            }
            if (!key.equals(PROTOCOL)) {
                return super.getHeaders(name);
            }
            // the bearer token was read by the security chain; only the protocols to choose from go on
            List<String> offered = new ArrayList<>();
            for (String header : Collections.list(super.getHeaders(name))) {
                List<String> kept = new ArrayList<>();
                for (String protocol : header.split(",")) {
                    if (!protocol.trim().startsWith(BearerSubprotocol.PREFIX)) {
                        kept.add(protocol.trim());
                    }
                }
                if (!kept.isEmpty()) {
                    offered.add(String.join(", ", kept));
                }
            }
            return Collections.enumeration(offered);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = new ArrayList<>();
            for (String name : Collections.list(super.getHeaderNames())) {
                if (KEPT.contains(name.toLowerCase(Locale.ROOT))
                        && getHeaders(name).hasMoreElements()) {
                    names.add(name);
                }
            }
            return Collections.enumeration(names);
        }
    }
}
