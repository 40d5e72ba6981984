package dev.nudge.it;

import dev.nudge.app.NudgeService;
import dev.nudge.demo.DemoClock;
import dev.nudge.demo.DemoShop;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.Chromium;
import dev.nudge.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /} in headless Chromium, as a newcomer of {@code nudge run} opens it: every link leads to a page that answers,
 * the admin views say they need the login until one logs in, and the page fits a phone. Screenshots at desktop and
 * phone widths go to {@code target/} (or the folder {@code -Dnudge.screenshots} names).
 */
@ExtendWith(BrokerExtension.class)
class LandingPageIT {

    private static final String TOKEN = "landing-admin-token-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static NudgeService service;
    private static WebDriver browser;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        browser = Chromium.start("LandingPageIT");
        Map<String, String> s = TestServices.settings(BrokerExtension.bootstrap, 1);
        s.put("admin.token", TOKEN);
        service = NudgeService.start(TestServices.config(s), new DemoShop("landing-shop-key-0123456789",
                new DemoClock()));
        base = "http://127.0.0.1:" + service.httpPort();
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
    void everyLinkOpensAndTheAdminViewsSayTheyNeedTheLogin() throws Exception {
        browser.manage().window().setSize(new Dimension(1280, 800));
        browser.get(base + "/");
        Set<String> links = browser.findElements(By.cssSelector("main a")).stream()
                .map(a -> a.getAttribute("href").substring(base.length())).collect(Collectors.toSet());
        assertEquals(Set.of("/live", "/outbox", "/shop/", "/campaigns", "/rules", "/metrics", "/ready", "/health",
                "/docs/README.md", "/openapi.json"), links, "everything a person can open in this run");
        String text = browser.findElement(By.tagName("main")).getText();
        assertTrue(text.contains("Live: decisions") && text.contains("(admin: log in)"), text);
        assertEquals("Log in", browser.findElement(By.cssSelector("header nav a")).getText());

        shoot("landing-desktop.png", 1280, 800);
        shoot("landing-phone.png", 400, 844);
        assertTrue(Chromium.overflow(browser) <= 0, "no sideways scrolling at 400 px: " + Chromium.overflow(browser));
        browser.manage().window().setSize(new Dimension(1280, 800));

        // each link answers (the admin ones once logged in)
        browser.findElement(By.cssSelector("header nav a")).click();
        await().atMost(WAIT).ignoreExceptions().until(() -> browser.findElement(By.id("token")).isDisplayed());
        WebElement field = browser.findElement(By.id("token"));
        field.sendKeys(TOKEN);
        browser.findElement(By.id("login-button")).click();
        await().atMost(WAIT).until(() -> browser.getCurrentUrl().equals(base + "/"));
        await().atMost(WAIT).ignoreExceptions().until(() ->
                browser.findElement(By.cssSelector("header nav button")).getText().equals("Log out"));
        assertFalse(browser.findElement(By.tagName("main")).getText().contains("(admin: log in)"),
                "logged in: nothing says it needs the login");
        for (String link : List.of("/docs/README.md", "/outbox", "/shop/", "/rules", "/campaigns")) {
            browser.get(base + link);
            String body = browser.findElement(By.tagName("body")).getText();
            assertFalse(body.isBlank() || body.contains("Resource not found") || body.contains("Unauthorized"),
                    link + ": " + body.substring(0, Math.min(200, body.length())));
        }
    }

    private static void shoot(String name, int width, int height) throws Exception {
        browser.manage().window().setSize(new Dimension(width, height));
        await().atMost(WAIT).until(() -> browser.findElement(By.tagName("body")).getSize().getWidth() <= width);
        Chromium.screenshot(browser, name);
    }
}
