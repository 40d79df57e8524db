package io.coedit.cluster;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Single-instance mode ({@code coedit.cluster.mode=memory}, the default). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "coedit.cluster.mode", havingValue = "memory", matchIfMissing = true)
class LocalClusterConfiguration {

    @Bean
    DocumentRelay localDocumentRelay() {
        return new LocalDocumentRelay();
    }

    /** One instance has nothing to wait for; the readiness group names this contributor in both modes. */
    @Bean
    HealthIndicator clusterHealthIndicator() {
        return () -> Health.up().withDetail("mode", "memory").build();
    }
}
