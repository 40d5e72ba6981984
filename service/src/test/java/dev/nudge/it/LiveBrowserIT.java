package dev.nudge.it;

import dev.nudge.app.NudgeService;
import dev.nudge.decision.Conversion;
import dev.nudge.event.Json;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.Chromium;
import dev.nudge.testing.Ingest;
import dev.nudge.testing.TestServices;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live page in a real headless Chromium against a real Nudge: an admin logs in through the form, opens
 * {@code /live}, and sees the decisions of carts left as they are made (the mail, the suppression, the mail without
 * an address), the mail sent, a conversion, and the funnel count go up; each decision links to its explanation, which
 * the browser's session opens. Screenshots at desktop and phone widths go to {@code target/} (or to the folder
 * {@code -Dnudge.screenshots} names).
 */
@ExtendWith(BrokerExtension.class)
class LiveBrowserIT {

    private static final String TOKEN = "live-admin-token-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static NudgeService service;
    private static WebDriver browser;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        browser = Chromium.start("LiveBrowserIT");
        Map<String, String> s = TestServices.settings(BrokerExtension.bootstrap, 1);
        s.put("admin.token", TOKEN);
        s.put("decisions.quiet-hours", "none");
        service = NudgeService.start(TestServices.config(s));
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
    void anAdminLogsInAndWatchesDecisionsMailsAndConversionsArrive() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String vic = "vic-" + run;
        String wes = "wes-" + run;
        String una = "una-" + run;

        // not logged in: the live page is the login form, and a wrong token is refused there
        browser.manage().window().setSize(new Dimension(1280, 800));
        browser.get(base + "/live");
        assertTrue(browser.getCurrentUrl().startsWith(base + "/login?next="), browser.getCurrentUrl());
        logIn("not-the-token");
        // the form's answer is a new page: wait for it, not for the page the click left
        await().atMost(WAIT).ignoreExceptions().until(() ->
                browser.findElement(By.id("notice")).getText().contains("not the admin token"));
        logIn(TOKEN);
        await().atMost(WAIT).until(() -> browser.getCurrentUrl().equals(base + "/live"));
        Cookie session = browser.manage().getCookieNamed("nudge_admin");
        assertTrue(session.isSecure() && session.isHttpOnly(), session.toString());
        assertEquals("Strict", session.getSameSite());
        assertNotEquals(TOKEN, session.getValue(), "a session value, never the token");
        await().atMost(WAIT).until(() -> browser.findElement(By.id("status")).getText().equals("live"));
        assertTrue(browser.findElements(By.cssSelector("#funnel tr[data-campaign]")).isEmpty(), "nothing yet");

        // three carts left at ten, and a page view at twenty to eleven that makes them due
        HttpResponse<String> posted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/events"))
                .header("Authorization", Ingest.AUTH).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        [{"eventId":"%1$s-p","type":"CustomerProfile","customerId":"%1$s","timestamp":"2026-03-03T09:00:00Z",
                          "email":"%1$s@example.com","firstName":"Vic","marketingConsent":true},
                         {"eventId":"%3$s-u","type":"Unsubscribed","customerId":"%3$s","timestamp":"2026-03-03T09:00:00Z"},
                         {"eventId":"%1$s-c","type":"CartUpdated","customerId":"%1$s","timestamp":"2026-03-03T10:05:00Z",
                          "cartId":"cart-%1$s","items":[{"productId":"mug","name":"Mug","price":9,"quantity":1}]},
                         {"eventId":"%2$s-c","type":"CartUpdated","customerId":"%2$s","timestamp":"2026-03-03T10:05:00Z",
                          "cartId":"cart-%2$s","items":[{"productId":"tent","name":"Tent","price":249,"quantity":1}]},
                         {"eventId":"%3$s-c","type":"CartUpdated","customerId":"%3$s","timestamp":"2026-03-03T10:06:00Z",
                          "cartId":"cart-%3$s","items":[{"productId":"lamp","name":"Lamp","price":39,"quantity":2}]},
                         {"eventId":"%1$s-v","type":"PageVisited","customerId":"%1$s","timestamp":"2026-03-03T10:40:00Z","url":"/"}]
                        """.formatted(vic, wes, una))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, posted.statusCode(), posted.body());

        // each decision appears in the stream as it is made, with its latency and a link to its explanation
        WebElement mail = await().atMost(WAIT).ignoreExceptions().until(() -> item("decision", vic), e -> e != null);
        assertTrue(mail.getText().contains("mail") && mail.getText().contains("cart-abandonment"), mail.getText());
        assertTrue(mail.findElement(By.className("latency")).getText().matches("\\d+ ms"));
        String why = mail.findElement(By.className("explain")).getAttribute("href");
        assertEquals(base + "/customers/" + vic + "/decisions", why);
        WebElement suppressed = await().atMost(WAIT).ignoreExceptions().until(() -> item("decision", una),
                e -> e != null);
        assertTrue(suppressed.getText().contains("suppressed (unsubscribed)"), suppressed.getText());
        // the send stage's ledger: vic's mail sent, wes has no address
        await().atMost(WAIT).ignoreExceptions().until(() -> item("mail", vic).getText().contains("mail sent"));
        await().atMost(WAIT).ignoreExceptions().until(() -> item("mail", wes).getText().contains("mail no-address"));

        // the funnel counts them
        await().atMost(WAIT).ignoreExceptions().until(() -> stage("triggered").equals("3")
                && stage("mailed").equals("1") && stage("failed").equals("1") && stage("suppressed").startsWith("1"));
        assertTrue(stage("suppressed").contains("unsubscribed 1"), stage("suppressed"));
        assertTrue(stage("latency").matches("\\d+ ms \\(\\d+ ms\\)"), stage("latency"));
        assertTrue(List.of("—", "no-holdout").contains(stage("lift")), "no holdout in this run, so no lift: "
                + stage("lift"));

        // an order converts vic's mail, as the engine writes it to the conversions topic
        assertEquals("0 / 0", stage("converted"));
        convert(vic);
        await().atMost(WAIT).ignoreExceptions().until(() -> item("conversion", vic).getText().contains("converted"));
        await().atMost(WAIT).ignoreExceptions().until(() -> stage("converted").equals("1 / 0"));

        // the campaign report's lift, once the campaign has two arms: 400 earlier decisions of it, half held out
        experiment();
        browser.navigate().refresh();
        String lift = await().atMost(WAIT).ignoreExceptions().until(() -> stage("lift"),
                v -> v.matches("[+-]\\d+\\.\\d\\d pp \\[.*\\]"));
        assertTrue(lift.startsWith("+"), "40 of 200 mailed against 10 of 200 held out: " + lift);

        screenshots();

        // the session opens the explanation (an admin endpoint) in the browser, not only a bearer header: a page of
        // sentences, the mail's among them
        browser.get(why);
        String explained = browser.findElement(By.tagName("body")).getText();
        assertTrue(explained.contains(vic) && explained.contains("Mailed (cart-abandonment, decided"), explained);
        assertTrue(browser.findElement(By.id("consent")).getText().startsWith("Consent: may be mailed"), explained);

        // logged out: the stream and the explanation are closed again
        browser.get(base + "/");
        browser.findElement(By.cssSelector("form[action='/logout'] button")).click();
        await().atMost(WAIT).until(() -> browser.getCurrentUrl().startsWith(base + "/login"));
        browser.get(why);
        await().atMost(WAIT).until(() -> browser.getCurrentUrl().startsWith(base + "/login?next="));
        assertTrue(browser.getCurrentUrl().contains(java.net.URLEncoder.encode(why.substring(base.length()),
                java.nio.charset.StandardCharsets.UTF_8)), browser.getCurrentUrl());
        HttpResponse<String> stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(base + "/live/stream")).header("Cookie", "nudge_admin=" + session.getValue()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, stream.statusCode(), "the old session is gone from the server, not only from the browser");
    }

    /**
     * While shadow rules run, the live page shows their running difference per campaign, and hides it once they are
     * withdrawn. Event time stays a day before the other test's, so the two run in either order.
     */
    @Test
    void theShadowPanelShowsTheRunningDifferenceWhileShadowRulesRun() throws Exception {
        String ida = "ida-" + UUID.randomUUID().toString().substring(0, 6);
        browser.manage().window().setSize(new Dimension(1280, 800));
        browser.get(base + "/live");
        if (browser.getCurrentUrl().startsWith(base + "/login")) {
            logIn(TOKEN);
            await().atMost(WAIT).until(() -> browser.getCurrentUrl().equals(base + "/live"));
        }
        assertTrue(!browser.findElement(By.id("shadow")).isDisplayed(), "no shadow rules: no panel");

        // shadow rules that mail a browse session of two views; the live rules want three. The bystander's event takes
        // event time more than an hour past the shadow's mail at 09:10, so it counts as added, no longer as waiting
        String browse = java.nio.file.Files.readString(dev.nudge.testing.Paths.RULES.resolve("browse-abandonment.drl"))
                .replace("$earlier >= 2", "$earlier >= 1");
        HttpResponse<String> started = admin("POST", "/rules/shadow",
                Json.mapper().writeValueAsString(Map.of("files", Map.of("browse-abandonment.drl", browse))));
        assertEquals(200, started.statusCode(), started.body());
        HttpResponse<String> posted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/events"))
                .header("Authorization", Ingest.AUTH).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        [{"eventId":"%1$s-p","type":"CustomerProfile","customerId":"%1$s","timestamp":"2026-03-02T07:00:00Z",
                          "email":"%1$s@example.com","marketingConsent":true},
                         {"eventId":"%1$s-v1","type":"ProductViewed","customerId":"%1$s","timestamp":"2026-03-02T08:00:00Z",
                          "productId":"lamp","name":"Lamp","price":39},
                         {"eventId":"%1$s-v2","type":"ProductViewed","customerId":"%1$s","timestamp":"2026-03-02T08:10:00Z",
                          "productId":"lamp","name":"Lamp","price":39},
                         {"eventId":"%1$s-x","type":"PageVisited","customerId":"%1$s-bystander",
                          "timestamp":"2026-03-02T10:30:00Z","url":"/"}]
                        """.formatted(ida))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, posted.statusCode(), posted.body());

        await().atMost(WAIT).ignoreExceptions().until(() -> browser.findElement(By.id("shadow")).isDisplayed()
                && text("#shadow-table tr[data-campaign='browse-abandonment'] td:nth-child(4)").equals("1"));
        // live mails, shadow mails, added
        assertEquals("0", text("#shadow-table tr[data-campaign='browse-abandonment'] td:nth-child(2)"));
        assertEquals("1", text("#shadow-table tr[data-campaign='browse-abandonment'] td:nth-child(3)"));
        Chromium.screenshot(browser, "live-shadow-desktop.png");

        assertEquals(200, admin("DELETE", "/rules/shadow", null).statusCode());
        await().atMost(WAIT).until(() -> !browser.findElement(By.id("shadow")).isDisplayed());
        // logged out again: the other test starts from the login form
        browser.manage().deleteAllCookies();
    }

    private static HttpResponse<String> admin(String method, String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + TOKEN).header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void logIn(String token) {
        WebElement field = browser.findElement(By.id("token"));
        field.clear();
        field.sendKeys(token);
        browser.findElement(By.id("login-button")).click();
    }

    /** The newest line of the stream of that type about that customer, or null. */
    private static WebElement item(String type, String customer) {
        List<WebElement> items = browser.findElements(By.cssSelector("#feed li[data-type='" + type + "']"));
        return items.stream().filter(li -> li.findElement(By.className("customer")).getText().equals(customer))
                .findFirst().orElse(null);
    }

    private static String stage(String stage) {
        return text("#funnel tr[data-campaign='cart-abandonment'] td[data-stage='" + stage + "']");
    }

    /** The element's text; the funnel is drawn anew every second, so an element found may be gone when read. */
    private static String text(String css) {
        for (int attempt = 0; ; attempt++) {
            try {
                List<WebElement> found = browser.findElements(By.cssSelector(css));
                return found.isEmpty() ? "" : found.get(0).getText();
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /** Assignments and conversions of earlier cart decisions: 40 of 200 mailed converted, 10 of 200 held out. */
    private static void experiment() throws Exception {
        Instant decided = Instant.parse("2026-03-01T10:00:00Z");
        try (var producer = new KafkaProducer<String, byte[]>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BrokerExtension.bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            for (int i = 0; i < 400; i++) {
                String arm = i < 200 ? Conversion.MAILED : Conversion.HOLDOUT;
                String customer = "earlier-" + i;
                List<Conversion> records = new java.util.ArrayList<>(List.of(Conversion.assigned("earlier-decision-" + i,
                        "cart-abandonment", arm, customer, "v1", decided)));
                if (i % 200 < (i < 200 ? 40 : 10)) {
                    records.add(Conversion.converted("earlier-decision-" + i, "cart-abandonment", arm, customer, "v1",
                            decided, "order-" + i, new BigDecimal("20.00"), "EUR", decided.plus(Duration.ofHours(1))));
                }
                for (Conversion c : records) {
                    producer.send(new ProducerRecord<>(service.config().kafka().topics().conversions(), customer,
                            Json.mapper().writeValueAsBytes(c)));
                }
            }
            producer.flush();
        }
    }

    private static void convert(String customer) throws Exception {
        Instant decided = Instant.parse("2026-03-03T10:35:00Z");
        Conversion c = Conversion.converted("decision-of-" + customer, "cart-abandonment", Conversion.MAILED,
                customer, "v1", decided, "order-" + customer, new BigDecimal("9.00"), "EUR",
                decided.plus(Duration.ofHours(2)));
        try (var producer = new KafkaProducer<String, byte[]>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BrokerExtension.bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            producer.send(new ProducerRecord<>(service.config().kafka().topics().conversions(), customer,
                    Json.mapper().writeValueAsBytes(c))).get();
        }
    }

    private static void screenshots() throws Exception {
        shoot("live-desktop.png", 1280, 800);
        shoot("live-phone.png", 390, 844);
        browser.manage().window().setSize(new Dimension(1280, 800));
    }

    private static void shoot(String name, int width, int height) throws Exception {
        browser.manage().window().setSize(new Dimension(width, height));
        await().atMost(WAIT).until(() -> browser.findElement(By.tagName("body")).getSize().getWidth() <= width);
        Chromium.screenshot(browser, name);
    }
}
