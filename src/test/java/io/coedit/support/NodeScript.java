package io.coedit.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Runs a Node script from {@code frontend/} (whose {@code node_modules} the build installs with {@code npm ci}).
 * Without Node or the installed packages the calling test is skipped, except under {@code CI=true}, where it fails.
 */
public final class NodeScript {

    private NodeScript() {}

    public record Result(int exitCode, String stdout, String stderr) {}

    public static Path frontendDir() {
        return Path.of(System.getProperty("coedit.frontend.dir", "frontend")).toAbsolutePath();
    }

    /** Skips (or fails under CI=true) unless {@code node} runs and {@code frontend/node_modules/<module>} exists. */
    public static void assumeInstalled(String... modules) {
        String missing = null;
        if (!nodeRuns()) {
            missing = "node is not on the PATH";
        } else {
            for (String module : modules) {
                if (!Files.isDirectory(frontendDir().resolve("node_modules").resolve(module))) {
                    missing = "frontend/node_modules/" + module + " is missing (run npm ci in frontend/)";
                    break;
                }
            }
        }
        if (missing == null) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true: the Node interoperability tests must run, but " + missing);
        }
        Assumptions.abort("Skipping a Node test: " + missing);
    }

    public static Result run(Duration timeout, String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(args));
        Path stdout = Files.createTempFile("node-out", ".txt");
        Path stderr = Files.createTempFile("node-err", ".txt");
        try {
            Process process = new ProcessBuilder(command)
                    .directory(frontendDir().toFile())
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("node " + script + " did not finish within " + timeout + "; stderr: "
                        + Files.readString(stderr, StandardCharsets.UTF_8));
            }
            return new Result(
                    process.exitValue(),
                    Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    private static boolean nodeRuns() {
        try {
            Process process = new ProcessBuilder("node", "--version")
                    .redirectErrorStream(true)
                    .start();
            process.getInputStream().readAllBytes();
            return process.waitFor(20, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException ex) {
            return false;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
