package dev.nudge.it;

import dev.nudge.app.NudgeService;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.Chromium;
import dev.nudge.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A customer opens the unsubscribe link of a real mail on a phone (a headless Chromium 400 px wide): the page names
 * the shop and the address masked, its button is large enough for a thumb and nothing runs off the side; the button
 * unsubscribes, and the page after it offers to subscribe again. Screenshots {@code unsubscribe.png} and
 * {@code unsubscribed.png} go to {@code target/} (or to the folder {@code -Dnudge.screenshots} names).
 */
@ExtendWith(BrokerExtension.class)
class UnsubscribeBrowserIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The smallest touch target the platform guidelines ask for (Apple 44 pt, Google 48 dp), in CSS pixels. */
    private static final int TOUCH_TARGET = 44;

    private static NudgeService service;
    private static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        browser = Chromium.start("UnsubscribeBrowserIT");
        Map<String, String> s = TestServices.settings(BrokerExtension.bootstrap, 1);
        s.put("decisions.quiet-hours", "none");
        service = NudgeService.start(TestServices.config(s));
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.close();
        }
    }

    @Test
    void onAPhoneTheLinkShowsTheShopAndTheAddressMaskedAndItsButtonUnsubscribes() throws Exception {
        URI link = UnsubscribeLinks.ofMail(service, "ana", "ana.lopez@example.com",
                Instant.parse("2026-03-03T10:00:00Z"));
        browser.manage().window().setSize(new Dimension(400, 760));
        browser.get(link.toString());
        assertEquals(400L, script("return window.innerWidth"), "a phone's width");

        assertEquals("Nudge demo shop", browser.findElement(By.className("shop")).getText());
        String text = browser.findElement(By.tagName("body")).getText();
        assertTrue(text.contains("a***@example.com"), text);
        assertFalse(browser.getPageSource().contains("ana.lopez"), "never the address in full");
        WebElement unsubscribe = browser.findElement(By.id("unsubscribe"));
        fitsAPhone(unsubscribe);
        shoot("unsubscribe.png");

        unsubscribe.click();
        // the form's answer is a new page: wait for it, not for the page the click left
        WebElement again = await().atMost(WAIT).ignoreExceptions()
                .until(() -> browser.findElement(By.id("resubscribe")), e -> e != null);
        assertEquals("You are unsubscribed", browser.findElement(By.tagName("h1")).getText());
        assertTrue(again.getText().contains("Subscribe again"), again.getText());
        fitsAPhone(again);
        shoot("unsubscribed.png");

        again.click();
        await().atMost(WAIT).ignoreExceptions().until(() -> browser.findElement(By.tagName("h1")).getText()
                .equals("You are subscribed again"));
    }

    /** The button is visible, a thumb's height, and the page is no wider than the screen. */
    private static void fitsAPhone(WebElement button) {
        assertTrue(button.isDisplayed());
        assertTrue(button.getSize().getHeight() >= TOUCH_TARGET, "button height " + button.getSize().getHeight());
        assertTrue(Chromium.overflow(browser) <= 0, "no horizontal scrolling: " + Chromium.overflow(browser) + " px");
    }

    private static Object script(String js) {
        return ((JavascriptExecutor) browser).executeScript(js);
    }

    private static void shoot(String name) throws Exception {
        Chromium.screenshot(browser, name);
    }
}
