package io.coedit.ws;

import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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
        return new EventLoopServer(
                properties,
                limits,
                new EventLoopHandshake.Rules(
                        tokens,
                        security.allowQueryToken(),
                        drain::draining,
                        origins.allowedOrigins(),
                        json,
                        meters,
                        handler,
                        limits,
                        presenceWait));
    }
}
