package io.coedit.ws;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

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
                .addInterceptors(new DocumentAccessInterceptor(drain::draining))
                .setAllowedOrigins(origins.allowedOrigins().toArray(String[]::new));
    }

    /** After the security chain (order -100), on the WebSocket endpoint only. */
    @Bean
    static FilterRegistrationBean<SlimHandshakeRequest> slimHandshakeRequest() {
        FilterRegistrationBean<SlimHandshakeRequest> registration = new FilterRegistrationBean<>(
                new SlimHandshakeRequest());
        registration.addUrlPatterns(DocumentAccessInterceptor.PATH_PREFIX + "*");
        registration.setOrder(0);
        return registration;
    }

    @Bean(destroyMethod = "shutdownNow")
    static ScheduledExecutorService coeditWsTimer() {
        return Executors.newSingleThreadScheduledExecutor(daemonThreads("coedit-ws-timer"));
    }

    /**
     * Gap healing and the periodic head check read the store, which can wait on Redis for seconds during an
     * outage; they get their own thread so pings and token expiry keep their schedule.
     */
    @Bean(destroyMethod = "shutdownNow")
    static ScheduledExecutorService coeditHealTimer() {
        return Executors.newSingleThreadScheduledExecutor(daemonThreads("coedit-ws-heal"));
    }

    /**
     * Closes sessions off the hot path: closing a stuck connection can wait on Tomcat's close-frame timeout. A fixed
     * number of threads, so a wave of closes queues up instead of starting a thread each.
     */
    @Bean(destroyMethod = "shutdownNow")
    static ExecutorService coeditWsCloser(WebSocketProperties properties) {
        return new ThreadPoolExecutor(properties.closerThreads(), properties.closerThreads(), 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), daemonThreads("coedit-ws-close"));
    }

    private static CustomizableThreadFactory daemonThreads(String name) {
        CustomizableThreadFactory factory = new CustomizableThreadFactory(name + "-");
        factory.setDaemon(true);
        return factory;
    }
}
