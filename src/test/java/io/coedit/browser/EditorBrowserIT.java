package io.coedit.browser;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;

import org.springframework.test.context.TestPropertySource;

import io.coedit.CoeditIntegrationTest;
import io.coedit.support.Browser;
import io.coedit.support.RestClient;
import io.coedit.support.Tokens;
import io.coedit.support.WsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The web editor in real (headless) Chromium against the running application: people sign in through the UI, open
 * one document, type into the textarea with real key events, and every copy (each page and the server's) converges.
 * At most three browsers run at once; every wait is bounded by {@link Browser#TIMEOUT}, with no fixed sleeps.
 */
// every page signs in through the dev-token endpoint, all from 127.0.0.1: far more than a person's share a minute
@TestPropertySource(properties = "coedit.security.dev-tokens-per-minute=10000")
class EditorBrowserIT extends CoeditIntegrationTest {

    private static final String XSS_NAME = "<img src=x onerror=window.__xss=1>";
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static ExecutorService pool;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Page> pages = new ArrayList<>();
    private String testName = "test";
    private Page ada;
    private Page bob;

    /** On failure: the browsers' consoles and screenshots, taken before @AfterEach closes them. */
    @RegisterExtension
    final TestExecutionExceptionHandler diagnostics = (context, failure) -> {
        for (Page page : List.copyOf(pages)) {
            page.dumpDiagnostics(testName);
        }
        throw failure;
    };

    @BeforeAll
    static void startPool() {
        System.setProperty("java.awt.headless", "true");
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stopPool() {
        pool.shutdownNow();
    }

    @BeforeEach
    void startTwoBrowsers(TestInfo info) {
        testName = info.getTestMethod().map(method -> method.getName()).orElse("test");
        Browser.assumeInstalled();
        CompletableFuture<Page> first = CompletableFuture.supplyAsync(() -> newPage("ada"), pool);
        CompletableFuture<Page> second = CompletableFuture.supplyAsync(() -> newPage("bob"), pool);
        ada = first.join();
        bob = second.join();
    }

    @AfterEach
    void closeBrowsers() {
        List<String> uncaught = new ArrayList<>();
        RuntimeException failure = null;
        for (Page page : pages) {
            try {
                page.browser.console().stream()
                        .filter(line -> line.contains("Uncaught"))
                        .forEach(line -> uncaught.add(page.name + ": " + line));
                page.browser.close();
            } catch (RuntimeException ex) {
                failure = failure == null ? ex : failure;
            }
        }
        pages.clear();
        if (failure != null) {
            throw failure;
        }
        assertThat(uncaught)
                .as("uncaught JavaScript errors in the pages' consoles")
                .isEmpty();
    }

    @Test
    void twoPagesTypingAtTheSameTimeConverge() throws Exception {
        String doc = newDocId();
        openBoth(doc, "Ada", "Bob");

        // Both start at the same spot of an empty document, so their keystrokes race for the same positions.
        List<String> adaRounds = new ArrayList<>();
        List<String> bobRounds = new ArrayList<>();
        for (int round = 1; round <= 4; round++) {
            adaRounds.add("[ada-" + round + " héllo 😀]\n");
            bobRounds.add("[bob-" + round + " wörld 🎉]\n");
        }
        CyclicBarrier together = new CyclicBarrier(2);
        CompletableFuture<Void> adaTyping =
                CompletableFuture.runAsync(() -> typeInRounds(ada, adaRounds, together), pool);
        CompletableFuture<Void> bobTyping =
                CompletableFuture.runAsync(() -> typeInRounds(bob, bobRounds, together), pool);
        CompletableFuture.allOf(adaTyping, bobTyping).get(60, TimeUnit.SECONDS);

        String text = awaitConverged(doc, ada, bob);
        // Nothing lost, nothing doubled, and each person's keystrokes keep their order. (Concurrent inserts at one
        // position are ordered by the server, so one person's text may land inside the other's: no contiguity.)
        assertThat(isInterleaving(text, String.join("", adaRounds), String.join("", bobRounds)))
                .as("%s is an interleaving of what Ada and Bob typed", text)
                .isTrue();
    }

    @Test
    void twoPeopleTypingASentenceEachAtOneSpotKeepBothSentencesWhole() throws Exception {
        String doc = newDocId();
        openBoth(doc, "Ada", "Bob");
        String spot = "Start: ";
        ada.type(spot + "end.");
        awaitConverged(doc, ada, bob);
        // each round both carets go to the same spot and both type a sentence at once, key by key
        for (int round = 1; round <= 6; round++) {
            String adaSentence = "Ada again " + round + ", héllo. ";
            String bobSentence = "Bob writes " + round + " 😀 too. ";
            for (Page page : List.of(ada, bob)) {
                page.caretToStart();
                page.type(Keys.ARROW_RIGHT.toString().repeat(spot.length()));
            }
            CyclicBarrier together = new CyclicBarrier(2);
            CompletableFuture<Void> adaTyping =
                    CompletableFuture.runAsync(() -> typeInRounds(ada, List.of(adaSentence), together), pool);
            CompletableFuture<Void> bobTyping =
                    CompletableFuture.runAsync(() -> typeInRounds(bob, List.of(bobSentence), together), pool);
            CompletableFuture.allOf(adaTyping, bobTyping).get(60, TimeUnit.SECONDS);
            String text = awaitConverged(doc, ada, bob);
            assertThat(text)
                    .as("round %d", round)
                    .startsWith(spot)
                    .endsWith("end.")
                    .contains(adaSentence)
                    .contains(bobSentence);
        }
    }

    @Test
    void lateJoinerGetsTheContent() {
        String doc = newDocId();
        openBoth(doc, "Ada", "Bob");
        ada.type("Ada was here. ");
        bob.type("Bob too. ✨");
        String before = awaitConverged(doc, ada, bob);

        Page cy = newPage("cy");
        cy.open(doc, "Cy");
        assertThat(cy.value()).isEqualTo(before);
        ada.awaitMember("Cy");

        // the late joiner is live too: its edit reaches the others and theirs reach it
        cy.caretToEnd();
        cy.type(" Cy joined.");
        ada.caretToStart();
        ada.type("[ada-after] ");
        String after = awaitConverged(doc, ada, bob, cy);
        assertThat(after).isEqualTo("[ada-after] " + before + " Cy joined.");

        closePage(cy);
        ada.await("Cy to leave the member list", d -> ada.hasExactlyMembers("Ada (you)", "Bob"));
    }

    @Test
    void cutConnectionKeepsTypingAndConverges() {
        String doc = newDocId();
        openBoth(doc, "Ada", "Bob");
        ada.type("start ");
        awaitConverged(doc, ada, bob);
        // Bob types at the start and Ada at the end, so neither's text can land inside the other's
        bob.caretToStart();
        ada.caretToEnd();

        // A network cut: the socket drops (test hook) and the network stays down while Ada keeps typing.
        ada.setOffline(true);
        List<String> shown = ada.js("window.coedit.dropConnection(); const s = document.getElementById('status');"
                + " return [s.dataset.status, s.textContent];");
        assertThat(shown.get(0)).isIn("offline", "reconnecting");
        assertThat(shown.get(1)).isIn("Offline", "Reconnecting…");

        List<String> adaMarkers = List.of("<ada-off-1>", "<ada-off-2 😀>", "<ada-off-3>");
        List<String> bobMarkers = List.of("<bob-on-1>", "<bob-on-2>", "<bob-on-3 🎉>");
        for (int i = 0; i < adaMarkers.size(); i++) {
            ada.type(adaMarkers.get(i));
            bob.type(bobMarkers.get(i));
        }
        ada.await(
                "the editor to keep unsaved changes while offline",
                d -> "offline".equals(ada.statusCode()) || "reconnecting".equals(ada.statusCode()));
        assertThat(ada.text(By.id("save-state"))).startsWith("Not saved yet");
        assertThat(ada.value()).contains(adaMarkers);
        bob.await("Bob's own text to be saved", d -> !bob.<Boolean>js("return window.coedit.state().pending"));
        assertThat(bob.value()).doesNotContain("ada-off");

        ada.setOffline(false);
        ada.await(
                "the status to show Connected again",
                d -> "connected".equals(ada.statusCode()) && "Connected".equals(ada.text(By.id("status"))));
        String text = awaitConverged(doc, ada, bob);
        assertAllOnceInOrder(text, adaMarkers);
        assertAllOnceInOrder(text, bobMarkers);
        assertThat(ada.text(By.id("save-state"))).isEqualTo("All changes saved");
        // Ada's new connection replaced the old one for Bob (no ghost), and Ada sees Bob again
        bob.await("Ada once in Bob's member list", d -> bob.hasExactlyMembers("Bob (you)", "Ada"));
        ada.await("Bob in Ada's member list", d -> ada.members().contains("Bob"));

        // Drops right after typing (that edit possibly not acknowledged yet) and typing before the reconnect: an
        // unacknowledged edit is resent under the same id, so everything is applied exactly once.
        List<String> dropped = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            String typed = "{ada-inflight-" + i + "}";
            String whileDown = "{ada-down-" + i + "}";
            dropped.add(typed);
            dropped.add(whileDown);
            ada.type(typed);
            ada.js(
                    "window.coedit.dropConnection(); document.execCommand('insertText', false, arguments[0]);",
                    whileDown);
            bob.type("{bob-" + i + "}");
            dropped.add("{bob-" + i + "}");
        }
        text = awaitConverged(doc, ada, bob);
        assertAllOnce(text, dropped);
        assertAllOnce(text, adaMarkers);
        assertAllOnce(text, bobMarkers);
    }

    @Test
    void seesTheOtherPersonsCaret() {
        String doc = newDocId();
        openBoth(doc, "Ada", "Bob");
        ada.type("Hello world");
        awaitConverged(doc, ada, bob);

        ada.awaitMember("Bob");
        bob.caretToEnd();
        bob.type(Keys.ARROW_LEFT.toString().repeat(5));
        ada.await("Bob's caret after \"Hello \"", d -> "Hello ".equals(ada.textBeforeCaretOf("Bob")));

        bob.type("big ");
        ada.await("Bob's caret after \"Hello big \"", d -> "Hello big ".equals(ada.textBeforeCaretOf("Bob")));
        String caretColor = ada.js("const c = document.querySelector('#mirror .remote-caret');"
                + " return c.style.getPropertyValue('--c');");
        String swatchColor = ada.js("const items = [...document.querySelectorAll('#members li')];"
                + " const li = items.find((li) => li.textContent === 'Bob');"
                + " return li.querySelector('.swatch').style.backgroundColor;");
        assertThat(caretColor).startsWith("hsl(");
        assertThat(swatchColor).isNotBlank();

        bob.type(Keys.chord(
                Keys.SHIFT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT));
        ada.await(
                "Bob's selection of \"world\"",
                d -> "world"
                        .equals(ada.js("const s = document.querySelector('#mirror .remote-sel');"
                                + " return s && s.textContent;")));
        // Ada's own caret is never drawn as a remote one on her page
        assertThat(ada.<Long>js("return document.querySelectorAll('#mirror .remote-caret').length"))
                .isEqualTo(1L);
        bob.awaitMember("Ada");
    }

    @Test
    void drawnCaretsStayWhereTheOthersCaretsReallyAre() {
        String doc = newDocId();
        openBoth(doc, "Ada", "Bob");
        ada.type("Hello world");
        awaitConverged(doc, ada, bob);

        // Bob types right at Ada's caret: in Ada's editor his text lands after her caret, so it must be drawn there
        bob.caretToEnd();
        bob.type("xyz");
        awaitConverged(doc, ada, bob);
        awaitCaretsAgree();

        // Ada moves her caret while Bob types in front of it: her cursor messages race his edits
        bob.caretToStart();
        for (int i = 0; i < 5; i++) {
            CompletableFuture<Void> typing = CompletableFuture.runAsync(() -> bob.type("ab"), pool);
            ada.type(Keys.ARROW_LEFT);
            typing.join();
        }
        awaitConverged(doc, ada, bob);
        awaitCaretsAgree();
    }

    @Test
    void userNamesAndTextRenderAsText() {
        String doc = newDocId();
        openBoth(doc, "Ada", XSS_NAME);
        bob.type(XSS_NAME);
        awaitConverged(doc, ada, bob);

        ada.awaitMember(XSS_NAME);
        ada.await(
                "the caret of the user named like markup",
                d -> XSS_NAME.equals(ada.js(
                        "const c = document.querySelector('#mirror .remote-caret'); return c && c.dataset.name;")));
        assertThat(ada.value()).isEqualTo(XSS_NAME);
        assertThat(ada.<String>js("return document.getElementById('mirror').textContent"))
                .contains(XSS_NAME);
        assertThat(bob.text(By.id("who"))).isEqualTo("Signed in as " + XSS_NAME);
        assertThat(bob.<List<String>>js(
                        "return [...document.querySelectorAll('#members li')].map((li) => li.textContent)"))
                .contains(XSS_NAME + " (you)");
        for (Page page : List.of(ada, bob)) {
            assertThat(page.<Long>js("return document.querySelectorAll('img').length"))
                    .as(page.name + ": img elements")
                    .isZero();
            assertThat(page.<Object>js("return window.__xss"))
                    .as(page.name + ": window.__xss")
                    .isNull();
        }
    }

    @Test
    void anEventPushedOverRestShowsAToastInTheOpenEditor() {
        String doc = newDocId();
        openBoth(doc, "Ada", "Bob");
        String publisher = Tokens.user("build-server").scope("events:publish").sign();
        RestClient.Response pushed = RestClient.call(
                "POST",
                port,
                "/api/documents/" + doc + "/events",
                publisher,
                "{\"name\":\"doc.approved\",\"data\":{\"message\":\"Approved by <b>legal</b>\"}}");
        assertThat(pushed.status()).as(pushed.body()).isEqualTo(202);

        String expected = "doc.approved: Approved by <b>legal</b>";
        for (Page page : List.of(ada, bob)) {
            page.await(
                    "the event's toast",
                    d -> Boolean.TRUE.equals(page.js(
                            "return [...document.querySelectorAll('#toasts .toast p')]"
                                    + ".some((p) => p.textContent === arguments[0]);",
                            expected)));
            assertThat(page.<Long>js("return document.querySelectorAll('#toasts b').length"))
                    .as("markup in data")
                    .isZero();
        }
    }

    @Test
    void savesAScreenshotOfTwoPagesSideBySide() throws IOException {
        String doc = "meeting-notes";
        openBoth(doc, "Ada", "Bob");
        ada.type("Meeting notes, Thursday\n\nAgenda\n- Ship the browser end-to-end tests\n"
                + "- Check the reconnect backoff\n");
        awaitConverged(doc, ada, bob);
        bob.caretToEnd();
        bob.type("- Review the protocol document\n");
        awaitConverged(doc, ada, bob);
        ada.caretToEnd();
        ada.type("\nDecisions\n- Carets and names are drawn for everyone");
        String text = awaitConverged(doc, ada, bob);
        int start = text.indexOf("protocol");
        bob.js(
                "const ta = document.getElementById('editor'); ta.focus();"
                        + " ta.setSelectionRange(arguments[0], arguments[1]);",
                start,
                start + "protocol".length());
        ada.await(
                "Bob's selection",
                d -> "protocol"
                        .equals(ada.js("const s = document.querySelector('#mirror .remote-sel');"
                                + " return s && s.textContent;")));
        bob.await("Ada's caret", d -> bob.textBeforeCaretOf("Ada") != null);
        for (Page page : List.of(ada, bob)) {
            page.await("saved", d -> "All changes saved".equals(page.text(By.id("save-state"))));
        }

        BufferedImage left = ada.screenshot();
        BufferedImage right = bob.screenshot();
        int gap = 8;
        BufferedImage both = new BufferedImage(
                left.getWidth() + gap + right.getWidth(),
                Math.max(left.getHeight(), right.getHeight()),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = both.createGraphics();
        g.setColor(new Color(0x55, 0x5b, 0x66));
        g.fillRect(0, 0, both.getWidth(), both.getHeight());
        g.drawImage(left, 0, 0, null);
        g.drawImage(right, left.getWidth() + gap, 0, null);
        g.dispose();
        Files.createDirectories(SCREENSHOTS);
        Path file = SCREENSHOTS.resolve("editor-two-pages.png");
        assertThat(ImageIO.write(both, "png", file.toFile())).isTrue();
        assertThat(Files.size(file)).isPositive();
    }

    // ---------- helpers ----------

    private Page newPage(String name) {
        Page page = new Page(Browser.start(name), "http://127.0.0.1:" + port);
        synchronized (pages) {
            pages.add(page);
        }
        return page;
    }

    private void closePage(Page page) {
        synchronized (pages) {
            pages.remove(page);
        }
        page.browser.close();
    }

    private void openBoth(String doc, String adaName, String bobName) {
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> ada.open(doc, adaName), pool);
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> bob.open(doc, bobName), pool);
        CompletableFuture.allOf(first, second).join();
        ada.awaitMember(bobName);
        bob.awaitMember(adaName);
    }

    private String newDocId() {
        return "e2e-" + testName + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void typeInRounds(Page page, List<String> markers, CyclicBarrier together) {
        try {
            for (String marker : markers) {
                together.await(Browser.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                page.type(marker);
            }
        } catch (Exception ex) {
            together.reset();
            throw new IllegalStateException(page.name + " could not type", ex);
        }
    }

    /** Waits until every page shows the server's text, with nothing unsaved, and returns that text. */
    private String awaitConverged(String doc, Page... on) {
        await().atMost(Browser.TIMEOUT).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            String server = serverContent(doc);
            for (Page page : on) {
                Map<String, Object> state = page.js("const s = window.coedit.state();"
                        + " return {status: s.status, pending: s.pending, text: s.text,"
                        + " value: document.getElementById('editor').value};");
                assertThat(state.get("status")).as(page.name + " status").isEqualTo("connected");
                assertThat(state.get("pending"))
                        .as(page.name + " has unsaved edits")
                        .isEqualTo(false);
                assertThat(state.get("value"))
                        .as(page.name + " textarea vs the server")
                        .isEqualTo(server);
                assertThat(state.get("text"))
                        .as(page.name + " client model vs the server")
                        .isEqualTo(server);
            }
        });
        return serverContent(doc);
    }

    /** Waits until each page draws the other's caret where the other's editor really has it. */
    private void awaitCaretsAgree() {
        await().atMost(Browser.TIMEOUT).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(bob.drawnCaretOf("Ada"))
                    .as("Ada's caret as Bob's page draws it")
                    .isEqualTo(ada.caret());
            assertThat(ada.drawnCaretOf("Bob"))
                    .as("Bob's caret as Ada's page draws it")
                    .isEqualTo(bob.caret());
        });
    }

    private String serverContent(String doc) {
        HttpResponse<String> response;
        try {
            response = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/documents/" + doc))
                            .header("Authorization", "Bearer " + Tokens.valid())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        assertThat(response.statusCode()).as("GET /api/documents/" + doc).isEqualTo(200);
        return WsClient.JSON.readTree(response.body()).get("content").asString();
    }

    /** Whether {@code text} is {@code a} and {@code b} shuffled together, each keeping its own order. */
    static boolean isInterleaving(String text, String a, String b) {
        if (text.length() != a.length() + b.length()) {
            return false;
        }
        boolean[] reachable = new boolean[b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                if (i == 0 && j == 0) {
                    reachable[0] = true;
                    continue;
                }
                char next = text.charAt(i + j - 1);
                boolean fromA = i > 0 && reachable[j] && a.charAt(i - 1) == next;
                boolean fromB = j > 0 && reachable[j - 1] && b.charAt(j - 1) == next;
                reachable[j] = fromA || fromB;
            }
        }
        return reachable[b.length()];
    }

    private static int occurrences(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length())) {
            count++;
        }
        return count;
    }

    private static void assertAllOnce(String text, List<String> markers) {
        for (String marker : markers) {
            assertThat(occurrences(text, marker))
                    .as("occurrences of %s in %s", marker, text)
                    .isEqualTo(1);
        }
    }

    /** Each marker exactly once, in typing order (one person's text stays in the order they typed it). */
    private static void assertAllOnceInOrder(String text, List<String> markers) {
        assertAllOnce(text, markers);
        for (int i = 1; i < markers.size(); i++) {
            assertThat(text.indexOf(markers.get(i - 1)))
                    .as("%s before %s", markers.get(i - 1), markers.get(i))
                    .isLessThan(text.indexOf(markers.get(i)));
        }
    }

    /** One browser tab showing the editor. */
    private static final class Page {

        final Browser browser;
        final String name;
        final String baseUrl;

        Page(Browser browser, String baseUrl) {
            this.browser = browser;
            this.name = browser.name();
            this.baseUrl = baseUrl;
        }

        /** Opens {@code /#/d/doc}, signs in with a display name and waits until the document is editable. */
        void open(String doc, String displayName) {
            browser.openDocument(baseUrl, doc, displayName);
        }

        void type(CharSequence keys) {
            browser.typeInEditor(keys);
        }

        void caretToEnd() {
            type(Keys.chord(Keys.CONTROL, Keys.END));
        }

        void caretToStart() {
            type(Keys.chord(Keys.CONTROL, Keys.HOME));
        }

        String value() {
            return js("return document.getElementById('editor').value");
        }

        String statusCode() {
            return js("return document.getElementById('status').dataset.status");
        }

        String text(By by) {
            return js("return arguments[0].textContent", browser.driver().findElement(by));
        }

        /** Where this page's own caret is (selection end, in UTF-16 code units). */
        long caret() {
            return js("return document.getElementById('editor').selectionEnd");
        }

        /** Where this page draws the caret of {@code user}, or null while it draws none. */
        Long drawnCaretOf(String user) {
            String before = textBeforeCaretOf(user);
            return before == null ? null : (long) before.length();
        }

        /** The text in front of the remote caret labelled {@code user}, or null while it is not drawn. */
        String textBeforeCaretOf(String user) {
            return js(
                    "const mirror = document.getElementById('mirror');"
                            + " const caret = [...mirror.querySelectorAll('.remote-caret')]"
                            + ".find((c) => c.dataset.name === arguments[0]);"
                            + " if (!caret) return null; const r = document.createRange(); r.setStart(mirror, 0);"
                            + " r.setEndBefore(caret); return r.toString();",
                    user);
        }

        /** The member list as shown, in order. */
        List<String> members() {
            return js("return [...document.querySelectorAll('#members li')].map((li) => li.textContent)");
        }

        /** Whether the member list shows exactly these entries, in any order. */
        boolean hasExactlyMembers(String... expected) {
            return members().stream()
                    .sorted()
                    .toList()
                    .equals(Stream.of(expected).sorted().toList());
        }

        void awaitMember(String displayName) {
            await(
                    displayName + " in the member list",
                    d -> Boolean.TRUE.equals(js(
                            "return [...document.querySelectorAll('#members li')]"
                                    + ".some((li) => li.textContent === arguments[0]);",
                            displayName)));
        }

        void setOffline(boolean offline) {
            if (offline) {
                ChromiumNetworkConditions conditions = new ChromiumNetworkConditions();
                conditions.setOffline(true);
                browser.driver().setNetworkConditions(conditions);
            } else {
                browser.driver().deleteNetworkConditions();
            }
        }

        <T> T js(String script, Object... args) {
            return browser.js(script, args);
        }

        <T> T await(String what, Function<WebDriver, T> condition) {
            return browser.await(what, condition);
        }

        BufferedImage screenshot() throws IOException {
            return ImageIO.read(new ByteArrayInputStream(browser.driver().getScreenshotAs(OutputType.BYTES)));
        }

        void dumpDiagnostics(String test) {
            try {
                System.err.println("---- " + test + " / " + name + ": state "
                        + js("return JSON.stringify(window.coedit.state())"));
                browser.console().forEach(line -> System.err.println("[" + name + " console] " + line));
                Files.createDirectories(SCREENSHOTS);
                Files.write(
                        SCREENSHOTS.resolve("failure-" + test + "-" + name + ".png"),
                        browser.driver().getScreenshotAs(OutputType.BYTES));
            } catch (Exception ex) {
                System.err.println("---- " + test + " / " + name + ": no diagnostics (" + ex + ")");
            }
        }
    }
}
