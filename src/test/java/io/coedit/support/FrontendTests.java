package io.coedit.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the web editor's JavaScript tests from the build ({@code ./mvnw verify}, test phase): {@code npm ci} (the test
 * tools of {@code frontend/package.json}), then {@code node --test test/}. Without {@code node} or {@code npm} on the
 * PATH it warns and skips them, unless {@code CI=true}, where it fails the build: a newcomer with only Java gets a
 * passing build that says what it did not run, and CI never silently runs less.
 */
public final class FrontendTests {

    private FrontendTests() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        Path frontend = Path.of(args.length > 0 ? args[0] : "frontend").toAbsolutePath();
        String missing = !runs("node", "--version") ? "node" : !runs("npm", "--version") ? "npm" : null;
        if (missing != null) {
            String message = missing + " is not on the PATH, so the web editor's JavaScript tests (frontend/test) "
                    + "and the ot.js interoperability tests cannot run. Install Node.js 18 or later with npm "
                    + "(Debian: apt-get install nodejs npm).";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException("CI=true: " + message);
            }
            System.err.println("[WARNING] SKIPPED: " + message);
            return;
        }
        run(frontend, List.of("npm", "ci", "--no-audit", "--no-fund"));
        run(frontend, List.of("node", "--test", "test/"));
        if (!Files.isDirectory(frontend.resolve("node_modules"))) {
            throw new IllegalStateException("npm ci did not install frontend/node_modules");
        }
    }

    private static void run(Path dir, List<String> command) throws IOException, InterruptedException {
        Process process =
                new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
        if (!process.waitFor(15, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish within 15 minutes");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(
                    String.join(" ", command) + " failed with exit code " + process.exitValue());
        }
    }

    private static boolean runs(String... command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException ex) {
            return false;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
