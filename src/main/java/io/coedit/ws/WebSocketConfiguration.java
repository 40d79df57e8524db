package io.coedit.ws;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebSocketConfiguration implements WebSocketConfigurer {

    static final String ENDPOINT = DocumentAccessInterceptor.PATH_PREFIX + "{docId}";

    private final CollabWebSocketHandler handler;
    private final OriginProperties origins;

    WebSocketConfiguration(CollabWebSocketHandler handler, OriginProperties origins) {
        this.handler = handler;
        this.origins = origins;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        // an empty list keeps Spring's default: only the page's own origin (browsers without Origin are not browsers)
        registry.addHandler(handler, ENDPOINT)
                .addInterceptors(new DocumentAccessInterceptor())
                .setAllowedOrigins(origins.allowedOrigins().toArray(String[]::new));
    }

    /**
     * Tomcat allocates each session's read buffers eagerly at their maximum size, so they stay small; bigger
     * messages arrive in parts (the handler supports partial messages) up to {@code coedit.ws.max-message-size}.
     */
    @Bean
    ServletServerContainerFactoryBean createWebSocketContainer(WebSocketProperties properties) {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        int buffer = (int) properties.frameBufferSize().toBytes();
        container.setMaxTextMessageBufferSize(buffer);
        container.setMaxBinaryMessageBufferSize(buffer);
        container.setAsyncSendTimeout(properties.sendTimeLimit().toMillis());
        // liveness is the heartbeat's job; Tomcat's idle timeout would also close quiet but healthy readers
        container.setMaxSessionIdleTimeout(0L);
        return container;
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService coeditWsTimer() {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "coedit-ws-timer");
            thread.setDaemon(true);
            return thread;
        });
    }
}
