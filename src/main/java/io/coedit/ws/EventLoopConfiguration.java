package io.coedit.ws;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.cors.CorsConfiguration;

import io.coedit.security.SecurityProperties;
import io.coedit.security.TokenVerifier;

/** The document endpoint on an event loop of its own, when {@code coedit.ws.event-loop.enabled} asks for it. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("coedit.ws.event-loop.enabled")
class EventLoopConfiguration {

    @Bean
    EventLoopServer eventLoopServer(
            EventLoopProperties properties,
            WebSocketProperties limits,
            TokenVerifier tokens,
            SecurityProperties security,
            Drain drain,
            OriginProperties origins,
            JsonMapper json,
            MeterRegistry meters,
            CollabWebSocketHandler handler,
            PresenceWait presenceWait) {
        // what Spring's origin check on the web endpoint is given (WebSocketConfiguration)
        CorsConfiguration allowed = new CorsConfiguration();
        allowed.setAllowedOrigins(origins.allowedOrigins());
        EventLoopServer server = new EventLoopServer(
                properties,
                limits,
                new EventLoopHandshake.Rules(
                        tokens,
                        security.allowQueryToken(),
                        drain::draining,
                        allowed,
                        json,
                        meters,
                        handler,
                        limits,
                        presenceWait));
        Gauge.builder("coedit.ws.event.loop.connections", server, EventLoopServer::connections)
                .description("Connections open on the event loop endpoint (coedit.ws.event-loop.max-connections)")
                .register(meters);
        return server;
    }
}
