package io.coedit.security;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Every request needs a valid token except the static editor, health probes and the development token
 * endpoint. WebSocket upgrades pass through the same chain, so a bad token never reaches the handshake.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; connect-src 'self' ws: wss:; "
            + "img-src 'self' data:; style-src 'self'; script-src 'self'; base-uri 'none'; "
            + "frame-ancestors 'none'; form-action 'self'";

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, SecurityProperties properties, ProblemResponses problems)
            throws Exception {
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY)))
                .authorizeHttpRequests(requests -> requests.requestMatchers(
                                HttpMethod.GET,
                                "/",
                                "/index.html",
                                "/*.js",
                                "/*.css",
                                "/*.svg",
                                "/*.png",
                                "/*.ico",
                                "/*.webmanifest")
                        .permitAll()
                        .requestMatchers(HttpMethod.POST, DevTokenController.PATH)
                        .permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/error")
                        .permitAll()
                        .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
                        .permitAll()
                        .requestMatchers(
                                HttpMethod.POST, "/api/events", "/api/documents/*/events", "/api/users/*/events")
                        .hasAuthority(Scope.EVENTS_PUBLISH.authority())
                        .requestMatchers(HttpMethod.DELETE, "/api/users/*/sessions")
                        .hasAuthority(Scope.SESSIONS_ADMIN.authority())
                        // metrics and info describe the deployment: an editing token is not enough
                        .requestMatchers("/actuator/**")
                        .hasAuthority(Scope.METRICS_READ.authority())
                        .anyRequest()
                        .authenticated())
                .oauth2ResourceServer(oauth2 -> oauth2.bearerTokenResolver(
                                new WebSocketBearerTokenResolver(properties.allowQueryToken()))
                        .authenticationEntryPoint(problems::unauthorized)
                        .accessDeniedHandler(problems::forbidden)
                        .jwt(jwt -> {}));
        return http.build();
    }

    /**
     * Spring Security's spans and timers (each filter, the authentication and the authorization) only when
     * {@code management.observations.enable.[spring.security]} asks for them; it is false by default. Switched off
     * by that property alone, Spring Security still wrapped every filter of every request and handshake in an
     * observation that did nothing: 2.5% of an instance's CPU while clients connected (docs/benchmarks.md).
     */
    @Bean
    SecurityObservationSettings securityObservationSettings(Environment environment) {
        boolean observed = Binder.get(environment)
                .bind("management.observations.enable", Bindable.mapOf(String.class, Boolean.class))
                .map(enabled -> enabled.getOrDefault("spring.security", true))
                .orElse(true);
        return observed
                ? SecurityObservationSettings.withDefaults()
                        .shouldObserveRequests(true)
                        .build()
                : SecurityObservationSettings.noObservations();
    }
}
