package io.coedit.document;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What the document feature needs besides a store (which {@code coedit.storage.type} chooses elsewhere). */
@Configuration(proxyBeanMethods = false)
class DocumentConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
