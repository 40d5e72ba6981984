package dev.nudge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.app.NudgeService;
import dev.nudge.demo.DemoClock;
import dev.nudge.demo.DemoShop;
import dev.nudge.event.CheckoutCompleted;
import dev.nudge.event.EventParser;
import dev.nudge.event.Json;
import dev.nudge.event.ParseResult;
import dev.nudge.kafka.Headers;
import dev.nudge.send.LocalSmtp;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.Chromium;
import dev.nudge.testing.EventTime;
import dev.nudge.testing.TestKafka;
import dev.nudge.testing.TestServices;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo shop in a real headless Chromium against a real Nudge: a shopper signs in, looks at products, puts one in
 * the cart and leaves, and the cart is mailed; nudge.js's promises (a message id per call, one anonymous id across
 * page loads, a beacon when the page goes, a refused batch kept and sent again later) are checked on what reaches the
 * events topic. The run's clock is put three hours ahead of the wall clock, as `nudge run`'s shoppers put it, so the
 * pages' calls are shown to be received on it.
 */
@ExtendWith(BrokerExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShopBrowserIT {

    private static final String SHOP_KEY = "shop-browser-key-0123456789";
    /** Two events a second, twenty at once: the retry test's second batch is refused with 429 and Retry-After. */
    private static final String SLOW_KEY = "slow-browser-key-0123456789";
    private static final Duration AHEAD = Duration.ofHours(3);
    private static final ObjectMapper JSON = Json.mapper();

    private static NudgeService service;
    private static DemoClock clock;
    private static WebDriver browser;
    private static String base;
    private static String events;

    @BeforeAll
    static void start() throws Exception {
        browser = Chromium.start("ShopBrowserIT");
        int port = TestServices.freePort();
        base = "http://127.0.0.1:" + port;
        Map<String, String> s = TestServices.settings(BrokerExtension.bootstrap, 1);
        s.put("http.port", String.valueOf(port));
        s.put("decisions.quiet-hours", "none");
        s.put("send.shop-url", base + "/shop");
        String types = String.join(",", DemoShop.KEY_TYPES);
        s.put("ingest.keys.shop", SHOP_KEY);
        s.put("ingest.keys.shop.origins", base);
        s.put("ingest.keys.shop.types", types);
        s.put("ingest.keys.shop.source", "demo-shop");
        s.put("ingest.keys.slow", SLOW_KEY);
        s.put("ingest.keys.slow.origins", base);
        s.put("ingest.keys.slow.types", types);
        s.put("ingest.keys.slow.rate", "2");
        long wall = System.currentTimeMillis();
        clock = new DemoClock();
        clock.anchor(wall, wall + AHEAD.toMillis(), 1);
        service = NudgeService.start(TestServices.config(s), new DemoShop(SHOP_KEY, clock));
        events = service.config().kafka().topics().events();
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

    /** Each test is a new visitor: nothing stored from the one before. */
    @BeforeEach
    void newVisitor() {
        open("/shop/");
        js("localStorage.clear(); document.cookie.split(';').forEach(function (c) {"
                + " document.cookie = c.split('=')[0] + '=; Max-Age=0; Path=/'; });");
        open("/shop/");
    }

    @Test
    void aCartLeftInTheShopIsMailedWithItsProduct() throws Exception {
        String anonymousId = (String) js("return nudge.anonymousId()");
        browser.findElement(By.id("product-tent-2p")).click();
        loaded("/shop/product/tent-2p");
        browser.findElement(By.id("email")).sendKeys("ana@example.com");
        browser.findElement(By.id("signin-button")).click();
        open("/shop/product/shoe-42");
        open("/shop/product/tent-2p");
        browser.findElement(By.id("add-to-cart")).click();
        open("/shop/cart");
        long leftAt = clock.millis();
        browser.get("about:blank");

        List<JsonNode> calls = callsUntil(c -> c.stream().anyMatch(ShopBrowserIT::isCart)
                && c.stream().anyMatch(x -> "identify".equals(x.path("type").asText())),
                x -> anonymousId.equals(x.path("anonymousId").asText()));
        // every call of the visit: one anonymous id over five page loads, a message id of its own each
        assertTrue(calls.size() >= 7, "page views, product views, identify, cart: " + calls);
        assertEquals(calls.size(), new HashSet<>(calls.stream().map(c -> c.path("messageId").asText()).toList()).size(),
                "a message id per call");
        assertTrue(calls.stream().allMatch(c -> c.path("messageId").asText().matches("[0-9a-f-]{36}")));
        JsonNode cart = calls.stream().filter(ShopBrowserIT::isCart).findFirst().orElseThrow();
        assertEquals("ana@example.com", cart.path("userId").asText(), "signed in before the cart");
        assertEquals("tent-2p", cart.at("/properties/products/0/product_id").asText());
        // received on the run's clock, three hours ahead of the wall clock, not taken for stale or refused as skew
        Instant at = Instant.parse(cart.path("timestamp").asText());
        assertTrue(Math.abs(at.toEpochMilli() - leftAt) < 60_000, "stamped " + at + " on the run's clock, not the wall's");

        EventTime.moveTo(BrokerExtension.bootstrap, events, Instant.ofEpochMilli(leftAt).plus(Duration.ofMinutes(40)));
        LocalSmtp smtp = service.send().localSmtp();
        await().atMost(Duration.ofSeconds(30)).until(() -> !Mails.to(smtp.received(), "ana@example.com").isEmpty());
        MimeMessage mail = Mails.to(smtp.received(), "ana@example.com").get(0);
        assertEquals("cart-abandonment", Mails.header(mail, "X-Nudge-Campaign"));
        String text = LocalSmtp.part(mail, "text/plain");
        assertTrue(text.contains("Two-person tent, quantity 1: 249.00"), text);
        // the mail's cart link opens the cart in the shop
        java.util.regex.Matcher link = java.util.regex.Pattern.compile("Back to your cart: (\\S+)").matcher(text);
        assertTrue(link.find(), text);
        assertTrue(link.group(1).startsWith(base + "/shop/cart/cart-"), link.group(1));
        browser.get(link.group(1));
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> browser.findElement(By.id("main"))
                .getText().contains("Two-person tent"));
    }

    /** First: the cart's 30 minutes must not have passed already when the visitor signs in. */
    @Test
    @Order(1)
    void aCartFilledBeforeSigningInIsMailedToTheAddressGivenAtSignIn() throws Exception {
        String anonymousId = (String) js("return nudge.anonymousId()");
        open("/shop/product/shoe-42");
        browser.findElement(By.id("add-to-cart")).click();
        open("/shop/cart");
        browser.findElement(By.id("email")).sendKeys("cy@example.com");
        browser.findElement(By.id("signin-button")).click();
        long leftAt = clock.millis();
        browser.get("about:blank");

        // the cart was the anonymous visitor's; the sign-in merged the two ids and it moved to cy's
        List<ConsumerRecord<String, byte[]>> moved = TestKafka.readUntil(BrokerExtension.bootstrap, events,
                l -> l.stream().anyMatch(r -> "cy@example.com".equals(r.key())
                        && r.headers().lastHeader(Headers.MERGED_FROM) != null
                        && tree(r.value()).path("type").asText().equals("CartUpdated")), Duration.ofSeconds(30));
        assertTrue(moved.stream().anyMatch(r -> anonymousId.equals(r.key())
                && isCart(tree(r.value()))), "the cart went in under the anonymous id");
        EventTime.moveTo(BrokerExtension.bootstrap, events, Instant.ofEpochMilli(leftAt).plus(Duration.ofMinutes(40)));
        LocalSmtp smtp = service.send().localSmtp();
        await().atMost(Duration.ofSeconds(30)).until(() -> !Mails.to(smtp.received(), "cy@example.com").isEmpty());
        String text = LocalSmtp.part(Mails.to(smtp.received(), "cy@example.com").get(0), "text/plain");
        assertTrue(text.contains("Trail running shoe"), text);
    }

    @Test
    void anOrderPlacedInTheShopIsACheckoutOfItsCart() throws Exception {
        String anonymousId = (String) js("return nudge.anonymousId()");
        browser.findElement(By.id("email")).sendKeys("bob@example.com");
        browser.findElement(By.id("signin-button")).click();
        open("/shop/product/mug-ti");
        browser.findElement(By.id("add-to-cart")).click();
        open("/shop/checkout");
        browser.findElement(By.id("place-order")).click();
        browser.get("about:blank");

        List<JsonNode> calls = callsUntil(c -> c.stream().anyMatch(x -> "Order Completed".equals(x.path("event")
                .asText())), x -> anonymousId.equals(x.path("anonymousId").asText()));
        String cartId = calls.stream().filter(ShopBrowserIT::isCart).findFirst().orElseThrow()
                .at("/properties/cart_id").asText();
        JsonNode order = calls.stream().filter(x -> "Order Completed".equals(x.path("event").asText())).findFirst()
                .orElseThrow();
        var checkout = assertInstanceOf(CheckoutCompleted.class,
                ((ParseResult.Parsed) new EventParser(JSON).parse(JSON.writeValueAsBytes(order))).event());
        assertEquals(cartId, checkout.cartId(), "the order names the cart, so its mail is cancelled");
        assertEquals("bob@example.com", checkout.customerId());
        assertEquals(0, checkout.total().compareTo(new java.math.BigDecimal("24.00")));
    }

    @Test
    void whatIsPendingWhenThePageGoesIsSentWithABeacon() {
        js("nudge.flush()");
        String probe = "beacon-" + UUID.randomUUID();
        // no batch would go for ten minutes: only leaving the page sends it
        js("window.__fetches = 0; var f = window.fetch; window.fetch = function () { window.__fetches++;"
                + " return f.apply(window, arguments); }; nudge.init({flushInterval: 600000});"
                + " nudge.track('Product Viewed', {product_id: arguments[0], name: 'Beacon probe'});", probe);
        assertEquals(0L, js("return window.__fetches"), "nothing sent while the page stays");
        browser.get("about:blank");

        List<JsonNode> calls = callsUntil(c -> !c.isEmpty(), x -> probe.equals(x.at("/properties/product_id").asText()));
        assertEquals(1, calls.size());
    }

    @Test
    void aBatchTheServerCannotTakeNowIsKeptAndSentByTheNextPage() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        @SuppressWarnings("unchecked")
        List<Long> statuses = (List<Long>) ((JavascriptExecutor) browser).executeAsyncScript(
                "var done = arguments[arguments.length - 1], run = arguments[0], key = arguments[1], statuses = [];"
                        + " var f = window.fetch; window.fetch = function () { return f.apply(window, arguments)"
                        + " .then(function (r) { statuses.push(r.status); return r; }); };"
                        + " nudge.flush().then(function () {"
                        + "   statuses.length = 0; nudge.init({writeKey: key, flushInterval: 600000});"
                        + "   for (var i = 0; i < 19; i++) nudge.track('Product Viewed', {product_id: run + '-' + i});"
                        + "   return nudge.flush();"
                        + " }).then(function () {"
                        + "   for (var i = 19; i < 28; i++) nudge.track('Product Viewed', {product_id: run + '-' + i});"
                        + "   return nudge.flush();"
                        + " }).then(function () { done(statuses); });", run, SLOW_KEY);
        assertEquals(List.of(200L, 429L), statuses, "19 calls taken, the next 9 over the key's pace");
        JsonNode kept = kept();
        assertEquals(1, kept.size(), "the refused batch is kept in localStorage: " + kept);
        assertEquals(9, kept.get(0).path("calls").size());
        long wait = kept.get(0).path("at").asLong() - ((Number) js("return Date.now()")).longValue();
        assertTrue(wait > 2000, "it waits as Retry-After says (4 s at two events a second), not " + wait + " ms");

        open("/shop/cart");
        List<JsonNode> calls = callsUntil(c -> c.size() >= 28,
                x -> x.at("/properties/product_id").asText().startsWith(run + "-"));
        assertEquals(28, new HashSet<>(calls.stream().map(c -> c.path("messageId").asText()).toList()).size());
        await().atMost(Duration.ofSeconds(10)).until(() -> kept().isEmpty());
    }

    @Test
    void theSnippetIsServedAsJavaScriptAndCached() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/nudge.js")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("text/javascript; charset=utf-8", r.headers().firstValue("content-type").orElse(""));
        assertEquals("public, max-age=3600", r.headers().firstValue("cache-control").orElse(""));
        String etag = r.headers().firstValue("etag").orElseThrow();
        HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create(base + "/nudge.js"))
                .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(304, again.statusCode());
    }

    private static boolean isCart(JsonNode call) {
        return "Cart Updated".equals(call.path("event").asText());
    }

    private static JsonNode kept() throws RuntimeException {
        try {
            Object raw = js("return localStorage.getItem('nudge.retry')");
            return JSON.readTree(raw == null ? "[]" : (String) raw);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Segment calls on the events topic that {@code mine} picks, once {@code until} holds for them. */
    private static List<JsonNode> callsUntil(Predicate<List<JsonNode>> until, Predicate<JsonNode> mine) {
        List<JsonNode> found = new ArrayList<>();
        TestKafka.readUntil(BrokerExtension.bootstrap, events, records -> {
            found.clear();
            for (ConsumerRecord<String, byte[]> r : records) {
                JsonNode call = tree(r.value());
                if (mine.test(call)) {
                    assertEquals("demo-shop".equals(source(r)) || "slow".equals(source(r)), true,
                            "published with the browser key's source, not " + source(r));
                    found.add(call);
                }
            }
            return until.test(found);
        }, Duration.ofSeconds(30));
        assertTrue(until.test(found), "calls on the events topic: " + found);
        return found;
    }

    private static String source(ConsumerRecord<String, byte[]> r) {
        var h = r.headers().lastHeader(Headers.EVENT_SOURCE);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static JsonNode tree(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (java.io.IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static void open(String path) {
        browser.get(base + path);
        loaded(path);
    }

    /** shop.js has drawn the page once the run's clock is shown: its calls of this page are queued by then. */
    private static void loaded(String path) {
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> browser.getCurrentUrl().endsWith(path)
                && !browser.findElement(By.id("clock")).getText().isEmpty()
                && !"Loading…".equals(browser.findElement(By.id("main")).getText()));
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }
}
