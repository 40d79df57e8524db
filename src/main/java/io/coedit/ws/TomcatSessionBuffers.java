package io.coedit.ws;

import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Sizes Tomcat's per-connection buffers for the common small message, since an idle session pays for them all
 * the time: the socket's read and write buffers, and the WebSocket frame input and output buffers (Tomcat's
 * {@code org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE}, 8 KB each by default, read once when its WebSocket
 * classes load, which is why it is set here, before the server starts). Bigger messages still arrive, in parts.
 */
@Component
class TomcatSessionBuffers implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> {

    static final String WEBSOCKET_BUFFER_PROPERTY = "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE";

    private final WebSocketProperties properties;

    TomcatSessionBuffers(WebSocketProperties properties) {
        this.properties = properties;
    }

    @Override
    public void customize(ConfigurableTomcatWebServerFactory factory) {
        String bytes = Long.toString(properties.socketBufferSize().toBytes());
        if (System.getProperty(WEBSOCKET_BUFFER_PROPERTY) == null) {
            System.setProperty(WEBSOCKET_BUFFER_PROPERTY, bytes);
        }
        factory.addConnectorCustomizers(connector -> {
            connector.setProperty("socket.appReadBufSize", bytes);
            connector.setProperty("socket.appWriteBufSize", bytes);
        });
    }
}
