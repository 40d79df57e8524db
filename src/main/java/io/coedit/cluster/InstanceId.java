package io.coedit.cluster;

import java.util.UUID;

/** This process among the instances sharing one Redis; published messages carry it as {@code origin}. */
public record InstanceId(String value) {

    public InstanceId {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("An instance id must not be blank");
        }
    }

    /** The configured id, or a random one: two processes must never share an id, or each drops the other's ops. */
    static InstanceId of(String configured) {
        return configured == null || configured.isBlank()
                ? new InstanceId(UUID.randomUUID().toString())
                : new InstanceId(configured);
    }

    @Override
    public String toString() {
        return value;
    }
}
