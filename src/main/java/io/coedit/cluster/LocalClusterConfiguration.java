package io.coedit.cluster;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
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
}
