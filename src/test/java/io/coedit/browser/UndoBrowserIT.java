package io.coedit.browser;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

import io.coedit.support.Browser;
import io.coedit.support.ClusterInstances;
import io.coedit.support.RestClient;
import io.coedit.support.Tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Undo and redo in real Chromium, two people on two instances sharing one Redis: each one's Ctrl+Z and Ctrl+Shift+Z
 * (or Ctrl+Y) change only their own words, on both screens, and the server's text agrees.
 */
class UndoBrowserIT {

    private static ClusterInstances instances;
    private final List<Browser> browsers = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        Browser.assumeInstalled();
        instances = ClusterInstances.withOwnRedis(2);
    }

    @AfterAll
    static void stopCluster() {
        if (instances != null) {
            instances.close();
        }
    }

    @AfterEach
    void closeBrowsers() {
        List<String> uncaught = new ArrayList<>();
        for (Browser browser : browsers) {
            browser.console().stream()
                    .filter(line -> line.contains("Uncaught"))
                    .forEach(line -> uncaught.add(browser.name() + ": " + line));
            browser.close();
        }
        assertThat(uncaught)
                .as("uncaught JavaScript errors in the pages' consoles")
                .isEmpty();
    }

    @Test
    void eachPersonsUndoAndRedoChangeOnlyTheirOwnWordsOnBothScreens() {
        String doc = "undo-" + UUID.randomUUID().toString().substring(0, 8);
        Browser ada = open(0, doc, "Ada");
        Browser bob = open(1, doc, "Bob");
        assertThat(buttonDisabled(ada, "undo")).as("nothing to undo yet").isTrue();

        type(ada, "alpha");
        awaitEverywhere(doc, "alpha", ada, bob);
        type(bob, Keys.chord(Keys.CONTROL, Keys.HOME));
        type(bob, "bravo ");
        awaitEverywhere(doc, "bravo alpha", ada, bob);
        assertThat(buttonDisabled(ada, "undo")).isFalse();
        assertThat(buttonDisabled(ada, "redo")).isTrue();

        type(ada, Keys.chord(Keys.CONTROL, "z"));
        awaitEverywhere(doc, "bravo ", ada, bob);
        assertThat(ada.<Long>js("return document.getElementById('editor').selectionEnd"))
                .as("Ada's caret")
                .isEqualTo(6L);
        assertThat(buttonDisabled(ada, "redo")).isFalse();

        type(bob, Keys.chord(Keys.CONTROL, "z"));
        awaitEverywhere(doc, "", ada, bob);

        type(ada, Keys.chord(Keys.CONTROL, Keys.SHIFT, "z"));
        awaitEverywhere(doc, "alpha", ada, bob);

        type(bob, Keys.chord(Keys.CONTROL, "y"));
        awaitEverywhere(doc, "bravo alpha", ada, bob);

        // the toolbar does the same as the keys
        bob.driver().findElement(By.id("undo")).click();
        awaitEverywhere(doc, "alpha", ada, bob);
        assertThat(buttonDisabled(bob, "undo"))
                .as("Bob has nothing left to undo")
                .isTrue();
        type(bob, Keys.chord(Keys.CONTROL, "z"));
        assertThat(ada.<String>js("return document.getElementById('editor').value"))
                .isEqualTo("alpha");
        awaitEverywhere(doc, "alpha", ada, bob);
    }

    private Browser open(int instance, String doc, String name) {
        Browser browser = Browser.start(name.toLowerCase());
        browsers.add(browser);
        browser.openDocument("http://127.0.0.1:" + instances.port(instance), doc, name);
        return browser;
    }

    private static void type(Browser browser, CharSequence keys) {
        browser.typeInEditor(keys);
    }

    private static boolean buttonDisabled(Browser browser, String id) {
        return Boolean.TRUE.equals(browser.js("return document.getElementById(arguments[0]).disabled", id));
    }

    /** Both screens, both client models and the server hold {@code expected}, with nothing left unsaved. */
    private static void awaitEverywhere(String doc, String expected, Browser... on) {
        await().atMost(Browser.TIMEOUT).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(RestClient.call("GET", instances.port(0), "/api/documents/" + doc, Tokens.valid(), null)
                            .json()
                            .get("content")
                            .asString())
                    .as("the server's text")
                    .isEqualTo(expected);
            for (Browser browser : on) {
                Map<String, Object> state = browser.js("const s = window.coedit.state();"
                        + " return {pending: s.pending, text: s.text,"
                        + " value: document.getElementById('editor').value};");
                assertThat(state.get("value")).as(browser.name() + "'s screen").isEqualTo(expected);
                assertThat(state.get("text")).as(browser.name() + "'s model").isEqualTo(expected);
                assertThat(state.get("pending"))
                        .as(browser.name() + " has unsaved edits")
                        .isEqualTo(false);
            }
        });
    }
}
