package io.coedit.security;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.stereotype.Component;

import io.coedit.error.ErrorCode;
import io.coedit.error.Problems;

/**
 * Writes security rejections as {@code application/problem+json} while keeping the standard
 * {@code WWW-Authenticate} header. The reason stays generic: a client learns that its token failed, not why.
 */
@Component
class ProblemResponses {

    private final BearerTokenAccessDeniedHandler deniedHandler = new BearerTokenAccessDeniedHandler();
    private final MeterRegistry registry;
    /** The converter Spring MVC writes problems with (its mix-in puts {@code code} at the top level). */
    private final JacksonJsonHttpMessageConverter problems;

    ProblemResponses(MeterRegistry registry, JsonMapper mapper) {
        this.registry = registry;
        this.problems = new JacksonJsonHttpMessageConverter(mapper.rebuild());
    }

    /**
     * 401 with a bare {@code WWW-Authenticate: Bearer}: Spring's entry point would add the decoder's reason
     * ({@code error_description}), which tells a prober which check its forged token failed.
     */
    void unauthorized(HttpServletRequest request, HttpServletResponse response, AuthenticationException ex)
            throws IOException {
        String reason = ex instanceof InvalidBearerTokenException
                ? (String.valueOf(ex.getMessage()).contains("revoked") ? "revoked" : "invalid")
                : "missing";
        registry.counter("coedit.auth.failures", "reason", reason).increment();
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        write(request, response, ErrorCode.UNAUTHORIZED, "A valid bearer token is required.");
    }

    void forbidden(HttpServletRequest request, HttpServletResponse response, AccessDeniedException ex)
            throws IOException {
        registry.counter("coedit.auth.failures", "reason", "scope").increment();
        deniedHandler.handle(request, response, ex);
        write(request, response, ErrorCode.FORBIDDEN, "The token does not allow this.");
    }

    /** Writes the problem unless an answer already began (a handler that failed midway). */
    void write(HttpServletRequest request, HttpServletResponse response, ErrorCode code, String detail)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        ProblemDetail problem = Problems.of(code, detail);
        try {
            // as Spring MVC fills it in for the problems of the REST controllers
            problem.setInstance(new URI(request.getRequestURI()));
        } catch (URISyntaxException ex) {
            // a path the container let through but URI refuses: the problem goes without it
        }
        response.setStatus(code.status().value());
        problems.write(problem, MediaType.APPLICATION_PROBLEM_JSON, new ServletServerHttpResponse(response));
    }
}
