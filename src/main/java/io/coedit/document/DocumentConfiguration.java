package io.coedit.document;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The in-memory store unless the cluster mode puts another one in place. */
@Configuration(proxyBeanMethods = false)
class DocumentConfiguration {

    @Bean
    @ConditionalOnProperty(name = "coedit.cluster.mode", havingValue = "memory", matchIfMissing = true)
    DocumentStore inMemoryDocumentStore(DocumentProperties properties) {
        return new InMemoryDocumentStore(LogLimits.of(properties));
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
