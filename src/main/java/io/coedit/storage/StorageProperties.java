package io.coedit.storage;

import java.nio.file.Path;
import java.time.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Where documents live ({@code coedit.storage.*}; README "Storage" and {@code docs/storage.md}).
 *
 * @param type file, redis, postgres or memory; unset: file without Redis, redis with {@code coedit.cluster.mode=redis}
 * @param path the folder of the file store ({@code coedit.db} and its lock file inside)
 * @param fileSync SQLite's {@code synchronous} setting: {@code full} (an acked op survives power loss) or
 *                 {@code normal} (it survives a crash of the process, not of the machine)
 * @param snapshotEvery the SQL stores rewrite a document's snapshot every this many ops
 * @param retention how much history the SQL stores keep per document (all of it by default)
 * @param cachedDocuments documents whose head the SQL stores keep in this JVM, so that submits read nothing
 * @param cachedBytes the byte budget of that cache (content at two bytes per UTF-16 code unit)
 * @param poolSize connections to the database
 * @param connectionTimeout how long a submit waits for a connection before it is answered {@code unavailable}
 */
@Validated
@ConfigurationProperties("coedit.storage")
public record StorageProperties(
        StorageType type,
        @DefaultValue("./data") @NotNull Path path,
        @DefaultValue("full") @NotNull FileSync fileSync,
        @DefaultValue("100") @Min(1) @Max(1_000_000) int snapshotEvery,
        @DefaultValue @NotNull @Valid Retention retention,
        @DefaultValue("1000") @Min(0) @Max(1_000_000) int cachedDocuments,
        @DefaultValue("256MB") @NotNull DataSize cachedBytes,
        @DefaultValue("10") @Min(1) @Max(1000) int poolSize,
        @DefaultValue("2s") @NotNull Duration connectionTimeout) {

    /** SQLite's {@code synchronous} pragma, as far as the file store allows it. */
    public enum FileSync {
        FULL,
        NORMAL
    }

    /**
     * History kept per document by the SQL stores, by count and by bytes (whichever is reached first); 0 keeps all.
     * Op ids are remembered apart from it ({@code coedit.documents.op-id-window} and {@code op-id-max}).
     */
    public record Retention(
            @DefaultValue("0") @Min(0) int ops,
            @DefaultValue("0B") @NotNull DataSize bytes) {

        int opsOrAll() {
            return ops == 0 ? Integer.MAX_VALUE : ops;
        }

        long bytesOrAll() {
            return bytes.toBytes() == 0 ? Long.MAX_VALUE : bytes.toBytes();
        }
    }
}
