package dev.nudge.it;

import dev.nudge.app.NudgeService;
import dev.nudge.send.LocalSmtp;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.Chromium;
import dev.nudge.testing.TestServices;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Properties;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The outbox in a real headless Chromium, at a desktop's width and at a phone's 400 px: the list shows each mail's
 * subject, from and to without scrolling sideways, and the viewer shows the headers above the mail, whose picture
 * loads and whose scripts do not run. Screenshots go to {@code target/} (or to the folder {@code -Dnudge.screenshots}
 * names: docs/ for outbox-desktop.png, outbox-phone.png and mail.png).
 */
@ExtendWith(BrokerExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OutboxBrowserIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int PHONE = 400;

    @TempDir
    static Path outbox;
    private static NudgeService service;
    private static WebDriver browser;
    private static String base;
    private static String subject;

    @BeforeAll
    static void start() throws Exception {
        browser = Chromium.start("OutboxBrowserIT");
        int port = TestServices.freePort();
        base = DemoOutbox.base(port);
        service = DemoOutbox.start(DemoOutbox.settings(port, outbox));
        DemoOutbox.abandonCart(port, "ana", "ana.lindqvist@example.com", Instant.now().minus(2, ChronoUnit.DAYS));
        LocalSmtp smtp = service.send().localSmtp();
        await().atMost(WAIT).until(() -> !Mails.to(smtp.received(), "ana.lindqvist@example.com").isEmpty());
        subject = Mails.to(smtp.received(), "ana.lindqvist@example.com").get(0).getSubject();
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
    @Order(1)
    void theListShowsSubjectFromAndToAtADesktopsWidthAndAPhonesWithoutScrollingSideways() throws Exception {
        for (int width : new int[] {1280, PHONE}) {
            browser.manage().window().setSize(new Dimension(width, 860));
            browser.get(base + "/outbox");
            // the cart mail's entry, wherever another test's mail put it
            WebElement mail = browser.findElement(By.xpath("//li[@class='mail'][a[normalize-space()='" + subject + "']]"));
            assertTrue(mail.findElement(By.linkText(subject)).isDisplayed(), "the subject, as a link to the mail");
            String shown = mail.getText();
            assertTrue(shown.contains("Nudge Shop <shop@nudge.localhost>"), shown);
            assertTrue(shown.contains("ana.lindqvist@example.com"), shown);
            assertTrue(shown.contains("UTC"), "the time: " + shown);
            assertFitsWidth();
            shoot(width == PHONE ? "outbox-phone.png" : "outbox-desktop.png");
        }
    }

    @Test
    @Order(2)
    void theViewerShowsTheHeadersAboveTheMailWhosePictureLoads() throws Exception {
        browser.manage().window().setSize(new Dimension(PHONE, 860));
        browser.get(base + "/outbox");
        browser.findElement(By.linkText(subject)).click();
        await().atMost(WAIT).until(() -> browser.getCurrentUrl().matches(".*/outbox/\\d+"));
        String headers = browser.findElement(By.id("headers")).getText();
        for (String h : new String[] {"From", "To", "Subject", "Date", "Message-ID", "List-Unsubscribe"}) {
            assertTrue(headers.contains(h), h + " in " + headers);
        }
        assertTrue(headers.contains("ana.lindqvist@example.com") && headers.contains(subject), headers);
        assertFitsWidth();

        browser.manage().window().setSize(new Dimension(1280, 1000));
        browser.switchTo().frame(browser.findElement(By.tagName("iframe")));
        try {
            String mail = browser.findElement(By.tagName("body")).getText();
            assertTrue(mail.contains("Trail running shoe") && mail.contains("179.80 EUR"), mail);
            assertTrue(mail.contains("Alpine Outfitters · Bergstrasse 5, 6020 Innsbruck, Austria"), mail);
            WebElement picture = browser.findElement(By.cssSelector("img[alt='Trail running shoe']"));
            // a picture that did not load is drawn as a broken-image icon of its own size: ask for its pixels
            await().atMost(WAIT).until(() -> Boolean.TRUE.equals(((JavascriptExecutor) browser).executeScript(
                    "return arguments[0].complete && arguments[0].naturalWidth > 0", picture)));
        } finally {
            browser.switchTo().defaultContent();
        }
        shoot("mail.png");
    }

    /** Last: its mail is not one for the screenshots. */
    @Test
    @Order(3)
    void aMailsScriptDoesNotRunInTheViewer() throws Exception {
        LocalSmtp smtp = service.send().localSmtp();
        int before = smtp.received().size();
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", String.valueOf(smtp.port()));
        MimeMessage hostile = new MimeMessage(Session.getInstance(p));
        hostile.setFrom(new InternetAddress("someone@elsewhere.example"));
        hostile.setRecipient(Message.RecipientType.TO, new InternetAddress("bob@example.com"));
        hostile.setSubject("A mail with a script");
        hostile.setText("<p id=\"words\">Harmless words</p><script>document.getElementById('words').textContent="
                + "'SCRIPT RAN'; try { parent.document.title = 'SCRIPT RAN'; } catch (e) {}</script>"
                + "<img src=\"nothing\" onerror=\"document.body.textContent='SCRIPT RAN'\">", "utf-8", "html");
        Transport.send(hostile);
        await().atMost(WAIT).until(() -> smtp.received().size() == before + 1);

        browser.get(base + "/outbox/" + before);
        assertEquals("A mail with a script · Nudge outbox", browser.getTitle());
        browser.switchTo().frame(browser.findElement(By.tagName("iframe")));
        try {
            String body = browser.findElement(By.tagName("body")).getText();
            assertTrue(body.contains("Harmless words"), body);
            assertFalse(body.contains("SCRIPT RAN"), body);
        } finally {
            browser.switchTo().defaultContent();
        }
        assertEquals("A mail with a script · Nudge outbox", browser.getTitle());
    }

    /** Nothing wider than the window: no scrolling sideways on a phone. */
    private static void assertFitsWidth() {
        long over = Chromium.overflow(browser);
        assertTrue(over <= 0, "the page is " + over + " px wider than the window");
    }

    private static void shoot(String name) throws Exception {
        Chromium.screenshot(browser, name);
    }
}
