package io.coedit.security;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.stereotype.Component;

/**
 * Writes security rejections as {@code application/problem+json} while keeping the standard
 * {@code WWW-Authenticate} header. The reason stays generic: a client learns that its token failed, not why.
 */
@Component
class ProblemResponses {

    private final BearerTokenAccessDeniedHandler deniedHandler = new BearerTokenAccessDeniedHandler();
    private final MeterRegistry registry;

    ProblemResponses(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * 401 with a bare {@code WWW-Authenticate: Bearer}: Spring's entry point would add the decoder's reason
     * ({@code error_description}), which tells a prober which check its forged token failed.
     */
    void unauthorized(HttpServletRequest request, HttpServletResponse response, AuthenticationException ex)
            throws IOException {
        String reason = ex instanceof InvalidBearerTokenException
                ? (String.valueOf(ex.getMessage()).contains("revoked") ? "revoked" : "invalid") : "missing";
        registry.counter("coedit.auth.failures", "reason", reason).increment();
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        write(response, HttpStatus.UNAUTHORIZED, "unauthorized", "A valid bearer token is required.");
    }

    void forbidden(HttpServletRequest request, HttpServletResponse response, AccessDeniedException ex)
            throws IOException {
        registry.counter("coedit.auth.failures", "reason", "scope").increment();
        deniedHandler.handle(request, response, ex);
        write(response, HttpStatus.FORBIDDEN, "forbidden", "The token does not allow this.");
    }

    static void write(HttpServletResponse response, HttpStatus status, String code, String detail)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"" + status.getReasonPhrase()
                + "\",\"status\":" + status.value() + ",\"code\":\"" + code + "\",\"detail\":\"" + detail + "\"}");
    }
}
