package io.coedit.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL server (Debian's {@code postgresql} package, {@code /usr/lib/postgresql/<version>/bin}) in a
 * temporary data directory on a random port of 127.0.0.1, which tests may stop, kill and start again.
 *
 * <p>PostgreSQL refuses to run as root, so under root (CI here) the server runs as the package's {@code postgres}
 * user through {@code runuser}. When the binaries are missing the test is skipped, except under {@code CI=true},
 * where a database test that did not run must not pass for one that did ({@code .ci/run} installs the package).
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "coedit";
    public static final String DATABASE = "postgres";

    private final Path bin;
    private final Path baseDir;
    private final int port;
    private boolean running;

    private PostgresServer(Path bin, Path baseDir, int port) {
        this.bin = bin;
        this.baseDir = baseDir;
        this.port = port;
    }

    /** An initialised, running server. */
    public static PostgresServer start() {
        Path bin = binaries();
        if (bin == null) {
            String why = "PostgreSQL server binaries not found (apt-get install postgresql, or set COEDIT_PG_BIN)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(why);
            }
            return Assumptions.abort(why);
        }
        try {
            Path baseDir = Files.createTempDirectory("coedit-pg-");
            if (isRoot()) {
                UserPrincipal postgres =
                        baseDir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                Files.setOwner(baseDir, postgres);
            }
            PostgresServer server = new PostgresServer(bin, baseDir, freePort());
            // a test JVM that ends without closing it (a failed fork, an interrupted run) leaves no server behind
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "stop-postgres"));
            server.run(List.of(
                    bin.resolve("initdb").toString(),
                    "-D",
                    server.dataDir().toString(),
                    "-U",
                    USER,
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--locale=C",
                    "--no-sync"));
            server.startServer();
            return server;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public int port() {
        return port;
    }

    /** Stops the server the way an operator does ({@code pg_ctl stop -m fast}): clients see connections drop. */
    public synchronized void stop() {
        if (running) {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir().toString(), "-m", "fast", "-w", "stop"));
            running = false;
        }
    }

    /** Starts the server again on the same port and data directory. */
    public synchronized void restart() {
        stop();
        startServer();
    }

    /** Runs one statement as the superuser, for tests that look at or change the data behind a store. */
    public long queryLong(String sql) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), USER, "");
                var statement = connection.createStatement();
                var result = statement.executeQuery(sql)) {
            return result.next() ? result.getLong(1) : 0;
        } catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Drops every table, so the next store starts on an empty database. */
    public void wipe() {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), USER, "");
                var statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        } catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public synchronized void close() {
        if (running) {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir().toString(), "-m", "immediate", "-w", "stop"));
            running = false;
        }
        try (Stream<Path> files = Files.walk(baseDir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException ex) {
            // a leftover temporary directory is not worth failing a test for
        }
    }

    private void startServer() {
        run(List.of(
                bin.resolve("pg_ctl").toString(),
                "-D",
                dataDir().toString(),
                "-l",
                baseDir.resolve("server.log").toString(),
                "-w",
                "-t",
                "60",
                "-o",
                "-p " + port + " -h 127.0.0.1 -k " + baseDir + " -c max_connections=200",
                "start"));
        running = true;
        waitUntilAccepting();
    }

    private void waitUntilAccepting() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Connection connection = DriverManager.getConnection(jdbcUrl(), USER, "")) {
                return;
            } catch (SQLException ex) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("PostgreSQL did not accept connections: " + log(), ex);
                }
                sleep(100);
            }
        }
    }

    private Path dataDir() {
        return baseDir.resolve("data");
    }

    private String log() {
        try {
            return Files.readString(baseDir.resolve("server.log"));
        } catch (IOException ex) {
            return "(no server log)";
        }
    }

    private void run(List<String> command) {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full)
                    .directory(baseDir.toFile())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("Failed: " + String.join(" ", full) + "\n" + output + "\n" + log());
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static Path binaries() {
        String configured = System.getenv("COEDIT_PG_BIN");
        if (configured != null && Files.isExecutable(Path.of(configured, "initdb"))) {
            return Path.of(configured);
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(dir ->
                            Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl")))
                    .max(Comparator.comparing(dir -> versionOf(dir.getParent())))
                    .orElse(null);
        } catch (IOException ex) {
            return null;
        }
    }

    private static int versionOf(Path dir) {
        try {
            return Integer.parseInt(dir.getFileName().toString());
        } catch (NumberFormatException ex) {
            return 0;
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
