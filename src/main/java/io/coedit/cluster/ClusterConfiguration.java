package io.coedit.cluster;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The instance id always; the Redis document store when {@code coedit.cluster.mode=redis}. */
@Configuration(proxyBeanMethods = false)
class ClusterConfiguration {

    @Bean
    InstanceId instanceId(ClusterProperties properties) {
        return InstanceId.of(properties.instanceId());
    }
}
