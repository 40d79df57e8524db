package io.coedit.events;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.coedit.security.TokenRevocations;

/** One instance ({@code coedit.cluster.mode=memory}): events and idempotency keys stay in this JVM. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "coedit.cluster.mode", havingValue = "memory", matchIfMissing = true)
class EventsConfiguration {

    @Bean
    EventBus localEventBus(TokenRevocations revocations) {
        return new LocalEventBus(revocations);
    }

    @Bean
    IdempotencyKeys localIdempotencyKeys(EventsProperties properties) {
        return new LocalIdempotencyKeys(properties.idempotencyMaxKeys(), properties.idempotencyMaxBytes().toBytes(),
                System::nanoTime);
    }
}
