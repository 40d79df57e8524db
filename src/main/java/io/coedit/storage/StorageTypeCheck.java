package io.coedit.storage;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Checks {@code coedit.storage.type} against {@code coedit.cluster.mode} as soon as the configuration is read,
 * before any bean: a combination that cannot work stops the start-up with what to set
 * ({@link StorageFailureAnalyzer}), not with whichever bean happened to miss its store first.
 */
class StorageTypeCheck implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        StorageType.inForce(environment);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
