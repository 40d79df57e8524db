package io.coedit.system;

import java.util.Locale;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * How instances share documents ({@code coedit.cluster.mode}). This is the one place that reads the property:
 * configuration classes choose their mode with {@link ConditionalOnClusterMode}, the storage check asks
 * {@link #inForce}.
 */
public enum ClusterMode {

    /** One instance, everything in this JVM (the default). */
    MEMORY,
    /** Instances share documents, presence and events through Redis. */
    REDIS;

    public static final String PROPERTY = "coedit.cluster.mode";

    /**
     * The mode set, or {@link #MEMORY}.
     *
     * @throws IllegalStateException naming the property and its values when it holds anything else
     */
    public static ClusterMode inForce(Environment environment) {
        try {
            return Binder.get(environment).bind(PROPERTY, ClusterMode.class).orElse(MEMORY);
        } catch (BindException ex) {
            throw new IllegalStateException(
                    PROPERTY + "=" + environment.getProperty(PROPERTY) + " is not a cluster mode: set memory or redis",
                    ex);
        }
    }

    /** As written in the property. */
    public String propertyValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
