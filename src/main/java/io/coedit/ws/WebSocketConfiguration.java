package io.coedit.ws;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

import io.coedit.system.CoeditExecutors.PresenceTimer;
import io.coedit.system.CoeditExecutors.SessionCloser;
import io.coedit.system.CoeditExecutors.SessionReads;
import io.coedit.system.DaemonThreads;

/** The document endpoint, its handshake filter, the session closer and the threads that read for sessions. */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebSocketConfiguration implements WebSocketConfigurer {

    static final String ENDPOINT = DocumentAccessInterceptor.PATH_PREFIX + "{docId}";

    private final CollabWebSocketHandler handler;
    private final OriginProperties origins;
    private final Drain drain;

    WebSocketConfiguration(CollabWebSocketHandler handler, OriginProperties origins, Drain drain) {
        this.handler = handler;
        this.origins = origins;
        this.drain = drain;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        // an empty list keeps Spring's default: only the page's own origin (browsers without Origin are not browsers)
        registry.addHandler(handler, ENDPOINT)
                .setHandshakeHandler(new DefaultHandshakeHandler(new HeaderlessUpgrade()))
                .addInterceptors(new DocumentAccessInterceptor(drain::draining))
                .setAllowedOrigins(origins.allowedOrigins().toArray(String[]::new));
    }

    /** After the security chain (order -100), on the WebSocket endpoint only. */
    @Bean
    static FilterRegistrationBean<SlimHandshakeRequest> slimHandshakeRequest() {
        FilterRegistrationBean<SlimHandshakeRequest> registration =
                new FilterRegistrationBean<>(new SlimHandshakeRequest());
        registration.addUrlPatterns(DocumentAccessInterceptor.PATH_PREFIX + "*");
        registration.setOrder(0);
        return registration;
    }

    @Bean(destroyMethod = "shutdownNow")
    @PresenceTimer
    static ScheduledExecutorService presenceTimer() {
        return Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("coedit-ws-presence"));
    }

    @Bean
    static PresenceWait presenceWait(@PresenceTimer ScheduledExecutorService timer, WebSocketProperties properties) {
        return new PresenceWait(timer, properties.presenceDelay());
    }

    /**
     * Closes sessions off the hot path: closing a stuck connection can wait on Tomcat's close-frame timeout. A fixed
     * number of threads, so a wave of closes queues up instead of starting a thread each.
     */
    @Bean(destroyMethod = "shutdownNow")
    @SessionCloser
    static ExecutorService sessionCloser(WebSocketProperties properties) {
        return DaemonThreads.fixedPool(properties.closerThreads(), "coedit-ws-close");
    }

    /**
     * Joins and syncs, off the request threads. A fixed number of threads, so a wave of joins (an instance drained,
     * its clients reconnecting here) queues up, each queued join holding only its already open session.
     */
    @Bean(destroyMethod = "shutdownNow")
    @SessionReads
    static ExecutorService sessionReads(WebSocketProperties properties) {
        return DaemonThreads.fixedPool(properties.readThreads(), "coedit-ws-read");
    }
}
