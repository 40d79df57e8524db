package io.coedit.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The built jar ({@code target/coedit-*.jar}, which {@code package} makes before the integration tests run) as a
 * child process in a working directory of the test's choosing: the application exactly as an operator starts it,
 * which a test can kill without any shutdown hook running.
 */
public final class JarProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private JarProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts {@code java -jar} in {@code workingDirectory} on a free port and waits until it is ready. */
    public static JarProcess start(Path workingDirectory, String... args) {
        try {
            int port = freePort();
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m",
                    "-jar",
                    jar().toAbsolutePath().toString(),
                    "--server.port=" + port,
                    "--spring.main.banner-mode=off"));
            command.addAll(List.of(args));
            Path log = Files.createTempFile("coedit-jar-", ".log");
            Process process = new ProcessBuilder(command)
                    .directory(workingDirectory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            JarProcess started = new JarProcess(process, port, log);
            started.awaitReady();
            return started;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public int port() {
        return port;
    }

    /** What the process printed so far. */
    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException ex) {
            return "(no output: " + ex.getMessage() + ")";
        }
    }

    /** SIGKILL: no shutdown hook, no graceful close, nothing flushed that was not flushed already. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                kill();
            }
        }
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "The application exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException ex) {
                // not listening yet
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }
        kill();
        throw new IllegalStateException("The application did not become ready in 90 s:\n" + output());
    }

    private static Path jar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(path -> path.getFileName().toString().matches("coedit-.*\\.jar"))
                    .filter(path -> !path.getFileName().toString().endsWith("-plain.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("No target/coedit-*.jar: run ./mvnw package first"));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
