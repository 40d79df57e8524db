package io.coedit.ws;

import java.time.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The document endpoint on an event loop of its own ({@code coedit.ws.event-loop.*}), beside the one on the web
 * server's port: the same path, handshake, protocol and limits, without the web server's hand-off of every frame from
 * its poller to a request thread (docs/benchmarks.md).
 *
 * @param enabled whether the endpoint listens
 * @param port its port; 0 picks a free one (tests)
 * @param address the address it binds
 * @param threads event loop threads, each connection staying on one; 0: one per processor the JVM sees
 * @param maxConnections connections open at once, upgraded or not; one beyond is closed as soon as it is accepted
 * @param handshakeTimeout how long a connection may take to send its upgrade request; then it is closed
 */
@Validated
@ConfigurationProperties("coedit.ws.event-loop")
public record EventLoopProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("8081") @Min(0) @Max(65535) int port,
        @DefaultValue("0.0.0.0") @NotBlank String address,
        @DefaultValue("0") @Min(0) @Max(256) int threads,
        @DefaultValue("30000") @Min(1) int maxConnections,
        @DefaultValue("10s") @NotNull Duration handshakeTimeout) {

    /** The threads to start. */
    int threadCount() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
}
