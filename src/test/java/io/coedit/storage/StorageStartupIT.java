package io.coedit.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ConfigurableApplicationContext;

import io.coedit.CoeditApplication;
import io.coedit.support.JarProcess;
import io.coedit.support.Tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A storage setup that cannot work stops the start-up with what to set, and touches nothing: the combinations the
 * docs rule out, a store folder that cannot be written, and a file store another process holds.
 */
class StorageStartupIT {

    private static Throwable startWith(String... properties) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0", "--spring.main.banner-mode=off", "--coedit.security.jwt.secret=" + Tokens.SECRET));
        args.addAll(List.of(properties));
        return catchThrowable(() -> {
            try (ConfigurableApplicationContext ignored =
                    new SpringApplicationBuilder(CoeditApplication.class).run(args.toArray(String[]::new))) {
                // started: the assertion below fails
            }
        });
    }

    /** What Boot's failure report prints for this start-up failure: the description and the action. */
    private static FailureAnalysis reportOf(Throwable failure) {
        Throwable cause = failure;
        while (cause != null && !(cause instanceof StorageStartupException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("a storage start-up failure in %s", failure).isNotNull();
        return new StorageFailureAnalyzer().analyze(failure);
    }

    @Test
    void aFileOrMemoryStoreInAClusterIsRefusedWithWhatToSet() {
        for (String type : List.of("file", "memory")) {
            FailureAnalysis report =
                    reportOf(startWith("--coedit.cluster.mode=redis", "--coedit.storage.type=" + type));
            assertThat(report.getDescription())
                    .contains("coedit.storage.type=" + type)
                    .contains("cluster");
            assertThat(report.getAction()).contains("coedit.storage.type=postgres");
        }
    }

    @Test
    void theRedisStoreWithoutRedisAnUnknownTypeAndPostgresWithoutAUrlAreRefused() {
        assertThat(reportOf(startWith("--coedit.storage.type=redis")).getAction())
                .contains("coedit.cluster.mode=redis");
        FailureAnalysis unknown = reportOf(startWith("--coedit.storage.type=mongo"));
        assertThat(unknown.getDescription()).contains("mongo");
        assertThat(unknown.getAction()).contains("file, redis, postgres, memory");
        assertThat(reportOf(startWith("--coedit.storage.type=postgres")).getAction())
                .contains("spring.datasource.url");
    }

    @Test
    void aDatabaseThatCannotBeReachedStopsTheStartUpAndNamesItWithoutThePassword() {
        FailureAnalysis report = reportOf(startWith(
                "--coedit.storage.type=postgres",
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/coedit?password=hunter2",
                "--spring.datasource.username=coedit",
                "--spring.datasource.password=hunter2"));
        assertThat(report.getDescription())
                .contains("jdbc:postgresql://127.0.0.1:1/coedit")
                .doesNotContain("hunter2");
        assertThat(report.getAction()).contains("spring.datasource.url");
    }

    @Test
    void aFolderThatCannotBeWrittenStopsTheStartUp() throws IOException {
        Path notAFolder = Files.createTempFile("coedit-not-a-folder-", ".txt");
        FailureAnalysis report =
                reportOf(startWith("--coedit.storage.type=file", "--coedit.storage.path=" + notAFolder));
        assertThat(report.getDescription()).contains(notAFolder.toString()).contains("cannot be written");
        assertThat(report.getAction()).contains("coedit.storage.path");
    }

    @Test
    void aFileStoreHeldByAnotherProcessIsNotOpenedAndNothingInItChanges() throws Exception {
        Path folder = Files.createTempDirectory("coedit-held-");
        try (JarProcess holder = JarProcess.start(
                folder.getParent(),
                "--coedit.storage.path=" + folder,
                "--coedit.security.jwt.secret=" + Tokens.SECRET)) {
            assertThat(holder.output()).contains("Documents are stored in SQLite at " + folder.resolve("coedit.db"));
            Path database = folder.resolve(StorageConfiguration.FILE_NAME);
            FileTime before = Files.getLastModifiedTime(database);
            long sizeBefore = Files.size(database);
            FailureAnalysis report =
                    reportOf(startWith("--coedit.storage.type=file", "--coedit.storage.path=" + folder));
            assertThat(report.getDescription()).contains(folder.toString()).contains("in use by another");
            assertThat(report.getAction()).contains("coedit.storage.path");
            assertThat(Files.getLastModifiedTime(database)).isEqualTo(before);
            assertThat(Files.size(database)).isEqualTo(sizeBefore);
        }
    }
}
