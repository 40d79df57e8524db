package io.coedit.cluster;

import lombok.extern.slf4j.Slf4j;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.coedit.document.DocumentProperties;
import io.coedit.document.DocumentRelay;
import io.coedit.document.DocumentStore;
import io.coedit.document.InMemoryDocumentStore;
import io.coedit.document.LogLimits;
import io.coedit.events.EventBus;
import io.coedit.events.EventsProperties;
import io.coedit.events.IdempotencyKeys;
import io.coedit.events.LocalEventBus;
import io.coedit.events.LocalIdempotencyKeys;
import io.coedit.security.TokenRevocations;
import io.coedit.storage.ConditionalOnStorage;
import io.coedit.storage.StorageType;
import io.coedit.system.ClusterMode;
import io.coedit.system.ConditionalOnClusterMode;

/**
 * One instance ({@code coedit.cluster.mode=memory}, the default): there is no one to relay to, so ops, presence,
 * events and idempotency keys stay in this JVM. The document store is the file one unless
 * {@code coedit.storage.type} says otherwise ({@code storage} builds the SQL stores).
 */
@Slf4j
@Configuration(proxyBeanMethods = false)
@ConditionalOnClusterMode(ClusterMode.MEMORY)
class LocalModeConfiguration {

    @Bean
    DocumentRelay localDocumentRelay() {
        return new LocalDocumentRelay();
    }

    @Bean
    @ConditionalOnStorage(StorageType.MEMORY)
    DocumentStore inMemoryDocumentStore(DocumentProperties documents) {
        log.warn("Documents are kept in memory only (coedit.storage.type=memory): nothing survives a restart");
        return new InMemoryDocumentStore(LogLimits.of(documents));
    }

    @Bean
    EventBus localEventBus(TokenRevocations revocations) {
        return new LocalEventBus(revocations);
    }

    @Bean
    IdempotencyKeys localIdempotencyKeys(EventsProperties properties) {
        return new LocalIdempotencyKeys(
                properties.idempotencyMaxKeys(),
                properties.idempotencyMaxBytes().toBytes(),
                System::nanoTime);
    }

    /** One instance has nothing to wait for; the readiness group names this contributor in both modes. */
    @Bean
    HealthIndicator clusterHealthIndicator() {
        return () -> Health.up()
                .withDetail("mode", ClusterMode.MEMORY.propertyValue())
                .build();
    }
}
