package io.coedit.storage;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import io.coedit.system.ClusterMode;

/**
 * Where documents live ({@code coedit.storage.type}); how instances share them is {@code coedit.cluster.mode}. The
 * two are read together here, once: {@link #inForce} is the type every store bean is conditional on.
 */
public enum StorageType {

    /** SQLite in a file under {@code coedit.storage.path}: one instance; the default without Redis. */
    FILE,
    /** The Redis store: a cluster; the default with {@code coedit.cluster.mode=redis}. */
    REDIS,
    /** PostgreSQL through {@code spring.datasource.*}: one instance or a cluster. */
    POSTGRES,
    /** This JVM's heap, lost on restart: tests and demos. */
    MEMORY;

    static final String PROPERTY = "coedit.storage.type";

    /**
     * The type in force: the one set, or the default of the cluster mode.
     *
     * @throws StorageStartupException for an unknown type, or a combination that cannot work, with what to set
     */
    static StorageType inForce(Environment environment) {
        boolean clustered = clustered(environment);
        StorageType type;
        try {
            type = Binder.get(environment).bind(PROPERTY, StorageType.class).orElse(clustered ? REDIS : FILE);
        } catch (BindException ex) {
            throw new StorageStartupException(
                    PROPERTY + "=" + environment.getProperty(PROPERTY) + " is not a storage type",
                    "Set " + PROPERTY + " to one of " + names() + ".",
                    ex);
        }
        if (clustered && (type == FILE || type == MEMORY)) {
            throw new StorageStartupException(
                    PROPERTY + "=" + type.propertyValue() + " keeps documents inside one"
                            + " process, and instances of a cluster (coedit.cluster.mode=redis) cannot share them",
                    "Set " + PROPERTY + "=postgres (with spring.datasource.url) or redis, or run one instance with"
                            + " coedit.cluster.mode=memory.");
        }
        if (!clustered && type == REDIS) {
            throw new StorageStartupException(
                    PROPERTY + "=redis needs coedit.cluster.mode=redis",
                    "Set coedit.cluster.mode=redis (and spring.data.redis.*), or " + PROPERTY
                            + "=file, postgres or memory.");
        }
        String url = environment.getProperty("spring.datasource.url");
        if (type == POSTGRES && (url == null || url.isBlank())) {
            throw new StorageStartupException(
                    PROPERTY + "=postgres needs spring.datasource.url",
                    "Set spring.datasource.url=jdbc:postgresql://<host>:5432/<database>, spring.datasource.username"
                            + " and spring.datasource.password (SPRING_DATASOURCE_URL, ...).");
        }
        return type;
    }

    private static boolean clustered(Environment environment) {
        return ClusterMode.inForce(environment) == ClusterMode.REDIS;
    }

    private static String names() {
        return Arrays.stream(values()).map(StorageType::propertyValue).collect(Collectors.joining(", "));
    }

    /** As written in the property. */
    String propertyValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
