package io.coedit.ws;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Browser origins allowed to open WebSockets ({@code coedit.allowed-origins}); empty means same origin only.
 * Clients that send no {@code Origin} header (servers, tools) are not browsers and are not restricted by it.
 */
@ConfigurationProperties("coedit")
public record OriginProperties(@DefaultValue List<String> allowedOrigins) {}
