package io.coedit.ws;

import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerContainer;

import org.springframework.stereotype.Component;
import org.springframework.web.context.ServletContextAware;

/**
 * Sets the servlet container's WebSocket limits. Tomcat allocates each session's read buffers eagerly at their
 * maximum size, so they stay small; bigger messages arrive in parts (the handler supports partial messages) and
 * are joined up to {@code coedit.ws.max-message-size}.
 */
@Component
class WebSocketContainerLimits implements ServletContextAware {

    static final int BINARY_BUFFER_BYTES = 64;

    private final WebSocketProperties properties;

    WebSocketContainerLimits(WebSocketProperties properties) {
        this.properties = properties;
    }

    @Override
    public void setServletContext(ServletContext servletContext) {
        Object attribute = servletContext.getAttribute(ServerContainer.class.getName());
        if (!(attribute instanceof ServerContainer container)) {
            throw new IllegalStateException("No WebSocket ServerContainer in the servlet context");
        }
        int buffer = (int) properties.frameBufferSize().toBytes();
        container.setDefaultMaxTextMessageBufferSize(buffer);
        // binary frames are not part of the protocol (the first one closes the session with 1003): every idle
        // session would otherwise hold a frame-sized binary buffer it never uses
        container.setDefaultMaxBinaryMessageBufferSize(BINARY_BUFFER_BYTES);
        container.setAsyncSendTimeout(properties.sendTimeLimit().toMillis());
        // liveness is the heartbeat's job; an idle timeout would also close quiet but healthy readers
        container.setDefaultMaxSessionIdleTimeout(0L);
    }
}
