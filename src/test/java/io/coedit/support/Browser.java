package io.coedit.support;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium (Debian's, driven by its own ChromeDriver) with a fresh profile.
 *
 * <p>Nothing is ever downloaded: the browser and driver paths are given explicitly, so Selenium Manager is not
 * consulted. Override them with {@code COEDIT_CHROMIUM} and {@code COEDIT_CHROMEDRIVER}. When either is missing the
 * test is skipped, except under {@code CI=true}, where it fails: CI must never silently skip the browser tests.
 */
public final class Browser implements AutoCloseable {

    /** Generous: CI machines are shared and slow. */
    public static final Duration TIMEOUT = Duration.ofSeconds(15);

    /** Selenium looks for a DevTools binding matching the browser; these tests use none. Held: loggers are weak. */
    private static final Logger CDP_VERSION_FINDER = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    static {
        CDP_VERSION_FINDER.setLevel(Level.OFF);
    }

    private final String name;
    private final ChromeDriver driver;
    private final Path profile;

    private Browser(String name, ChromeDriver driver, Path profile) {
        this.name = name;
        this.driver = driver;
        this.profile = profile;
    }

    public static Path chromium() {
        return Path.of(envOr("COEDIT_CHROMIUM", "/usr/bin/chromium"));
    }

    public static Path chromedriver() {
        return Path.of(envOr("COEDIT_CHROMEDRIVER", "/usr/bin/chromedriver"));
    }

    /** Skips the calling test (or fails it under CI=true) unless Chromium and ChromeDriver are installed. */
    public static void assumeInstalled() {
        String problem = null;
        if (!Files.isExecutable(chromium())) {
            problem = "Chromium not found at " + chromium();
        } else if (!Files.isExecutable(chromedriver())) {
            problem = "ChromeDriver not found at " + chromedriver();
        }
        if (problem == null) {
            return;
        }
        String hint =
                problem + " (apt-get install chromium chromium-driver, or set COEDIT_CHROMIUM / COEDIT_CHROMEDRIVER)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true: the browser tests must run, but " + hint);
        }
        Assumptions.abort("Skipping the browser tests: " + hint);
    }

    /** Starts a browser; {@code name} only labels logs and failures. */
    public static Browser start(String name) {
        assumeInstalled();
        Path profile;
        try {
            profile = Files.createTempDirectory("coedit-chromium-");
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium().toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--user-data-dir=" + profile,
                "--window-size=1000,800");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver().toFile())
                .usingAnyFreePort()
                .withLogOutput(OutputStream.nullOutputStream())
                .build();
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().scriptTimeout(TIMEOUT);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            return new Browser(name, driver, profile);
        } catch (RuntimeException ex) {
            delete(profile);
            throw ex;
        }
    }

    /**
     * Opens {@code <baseUrl>/#/d/<doc>} in the editor, signs in with a display name (a development token) and waits
     * until the document is connected and editable.
     */
    public void openDocument(String baseUrl, String doc, String displayName) {
        driver.get(baseUrl + "/#/d/" + doc);
        WebElement nameField = await("the sign-in form", d -> {
            WebElement field = d.findElement(By.id("name"));
            return field.isDisplayed() ? field : null;
        });
        nameField.sendKeys(displayName);
        driver.findElement(By.id("sign-in")).click();
        await(
                "document " + doc + " open and editable",
                d -> Boolean.TRUE.equals(js(
                        "const s = window.coedit.state(); const ta = document.getElementById('editor');"
                                + " return s.docId === arguments[0] && s.status === 'connected' && !ta.readOnly"
                                + " && !document.getElementById('view-editor').hidden;",
                        doc)));
    }

    public String name() {
        return name;
    }

    public ChromeDriver driver() {
        return driver;
    }

    /**
     * Types {@code keys} into the editor as a person would, key by key. ChromeDriver (from 150 on) refuses
     * characters outside the BMP ("only supports characters in the BMP"): each of those goes in as an input method
     * commits text (DevTools' {@code Input.insertText}, which fires the same input events), the rest as key presses.
     */
    public void typeInEditor(CharSequence keys) {
        WebElement editor = driver.findElement(By.id("editor"));
        StringBuilder pressed = new StringBuilder();
        keys.codePoints().forEach(codePoint -> {
            if (Character.isBmpCodePoint(codePoint)) {
                pressed.appendCodePoint(codePoint);
                return;
            }
            // the key presses before it land first, and focus the editor
            editor.sendKeys(pressed);
            pressed.setLength(0);
            driver.executeCdpCommand("Input.insertText", Map.of("text", Character.toString(codePoint)));
        });
        if (!pressed.isEmpty()) {
            editor.sendKeys(pressed);
        }
    }

    /** Runs a script in the page; arguments are {@code arguments[0..]}. */
    @SuppressWarnings("unchecked")
    public <T> T js(String script, Object... args) {
        return (T) ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Waits up to {@link #TIMEOUT} for {@code condition} to return something other than null or false. */
    public <T> T await(String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, TIMEOUT, Duration.ofMillis(50))
                .withMessage(() -> name + ": " + what)
                .until(condition);
    }

    /** The page's console output so far (Chromium only keeps what has not been read yet). */
    public List<String> console() {
        try {
            return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .map(LogEntry::toString)
                    .toList();
        } catch (RuntimeException ex) {
            return List.of("(console log unavailable: " + ex.getMessage() + ")");
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            delete(profile);
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException | UncheckedIOException ex) {
            // a leftover temp profile is harmless
        }
    }

    @Override
    public String toString() {
        return "Browser[" + name + ", " + Map.of("chromium", chromium(), "chromedriver", chromedriver()) + "]";
    }
}
