package io.coedit.document;

import java.time.Duration;

/**
 * How much history a store keeps per document: the op log by count and by bytes, and the index of accepted
 * (author, op id) keys by time and by count, independent of the log.
 */
public record LogLimits(int retainedOps, long retainedBytes, Duration opIdWindow, int opIdMax) {

    public static LogLimits of(DocumentProperties properties) {
        return new LogLimits(
                properties.retainedOps(),
                properties.retainedBytes().toBytes(),
                properties.opIdWindow(),
                properties.opIdMax());
    }

    /** The defaults of {@link DocumentProperties} with another op count, for tests. */
    public static LogLimits ofOps(int retainedOps) {
        return new LogLimits(retainedOps, 16L << 20, Duration.ofHours(24), 100_000);
    }
}
