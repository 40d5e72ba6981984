package dev.nudge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.nudge.app.NudgeService;
import dev.nudge.event.Json;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shop pages of another origin than Nudge's. Segment's own browser library, analytics.js (@segment/analytics-next 1.84.3, its UMD build vendored under the MIT
 * licence in {@code analytics-next/}), on a shop page of another origin, pointed at Nudge: what it sends (the key
 * as HTTP Basic, so the browser asks first) reaches the events topic as Nudge's events, and the cart left is mailed.
 * Offline: the page gives the library its settings, so it fetches nothing from Segment. And nudge.js, loaded from
 * Nudge: it sends to where it came from, and reads Nudge's answers (a 429's Retry-After too) across origins.
 */
@ExtendWith(BrokerExtension.class)
class AnalyticsJsIT {

    private static final String KEY = "analytics-js-key-0123456789";
    /** One event a second, ten at once. */
    private static final String PACED_KEY = "paced-browser-key-0123456789";
    private static final ObjectMapper JSON = Json.mapper();

    private static WebDriver browser;
    private static NudgeService service;
    private static HttpServer shop;

    @BeforeAll
    static void start() throws Exception {
        browser = Chromium.start("AnalyticsJsIT");
        shop = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        shop.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body = switch (path) {
                case "/" -> page();
                case "/nudge-js" -> nudgeJsPage();
                case "/analytics-next.umd.js" -> resource("/analytics-next/analytics-next.umd.js");
                default -> null;
            };
            exchange.getResponseHeaders().add("Content-Type", path.endsWith(".js") ? "text/javascript" : "text/html");
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        shop.start();
        Map<String, String> s = TestServices.settings(BrokerExtension.bootstrap, 1);
        s.put("decisions.quiet-hours", "none");
        s.put("ingest.keys.ajs", KEY);
        s.put("ingest.keys.ajs.origins", "http://127.0.0.1:" + shop.getAddress().getPort());
        s.put("ingest.keys.ajs.types", "CartUpdated,CheckoutCompleted,ProductViewed,PageVisited,CustomerProfile");
        s.put("ingest.keys.ajs.source", "analytics-js");
        s.put("ingest.keys.paced", PACED_KEY);
        s.put("ingest.keys.paced.origins", "http://127.0.0.1:" + shop.getAddress().getPort());
        s.put("ingest.keys.paced.rate", "1");
        service = NudgeService.start(TestServices.config(s));
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (shop != null) {
            shop.stop(0);
        }
        if (service != null) {
            service.close();
        }
    }

    @Test
    void aCartLeftOnAPageWithAnalyticsJsIsMailed() throws Exception {
        String cartId = "cart-" + UUID.randomUUID();
        browser.get("http://127.0.0.1:" + shop.getAddress().getPort() + "/?nudge=" + service.httpPort());
        Object done = ((JavascriptExecutor) browser).executeAsyncScript(
                "var done = arguments[arguments.length - 1], cart = arguments[0];"
                        + " window.analyticsReady.then(function (analytics) {"
                        + "   return analytics.identify('cy@example.com', {email: 'cy@example.com',"
                        + "       marketingConsent: true})"
                        + "     .then(function () { return analytics.page(); })"
                        + "     .then(function () { return analytics.track('Product Viewed', {product_id: 'lamp-head',"
                        + "       name: 'Head lamp', price: 34.9}); })"
                        + "     .then(function () { return analytics.track('Cart Viewed', {cart_id: cart,"
                        + "       products: [{product_id: 'lamp-head', name: 'Head lamp', price: 34.9, quantity: 2}]}); });"
                        + " }).then(function () { done('sent'); }, function (e) { done('failed: ' + e); });", cartId);
        assertEquals("sent", done);

        List<JsonNode> calls = new ArrayList<>();
        TestKafka.readUntil(BrokerExtension.bootstrap, service.config().kafka().topics().events(), records -> {
            calls.clear();
            for (ConsumerRecord<String, byte[]> r : records) {
                JsonNode call = tree(r.value());
                if ("cy@example.com".equals(call.path("userId").asText())) {
                    calls.add(call);
                }
            }
            return calls.size() == 4;
        }, Duration.ofSeconds(30));
        assertEquals(List.of("identify", "page", "track", "track"), calls.stream().map(c -> c.path("type").asText())
                .toList(), "what analytics.js sent: " + calls);
        assertTrue(calls.stream().noneMatch(c -> c.has("writeKey")), "the key never reaches Kafka");

        EventTime.moveTo(BrokerExtension.bootstrap, service.config().kafka().topics().events(),
                Instant.now().plus(Duration.ofMinutes(40)));
        LocalSmtp smtp = service.send().localSmtp();
        await().atMost(Duration.ofSeconds(30)).until(() -> !Mails.to(smtp.received(), "cy@example.com").isEmpty());
        MimeMessage mail = Mails.to(smtp.received(), "cy@example.com").get(0);
        String text = LocalSmtp.part(mail, "text/plain");
        assertTrue(text.contains("Head lamp, quantity 2"), text);
        @SuppressWarnings("unchecked")
        List<String> fetched = (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return performance.getEntriesByType('resource').map(function (e) { return e.name; })");
        assertTrue(fetched.stream().allMatch(u -> u.startsWith("http://127.0.0.1:")), "offline: " + fetched);
        assertTrue(fetched.stream().anyMatch(u -> u.contains(":" + service.httpPort() + "/v1/")), "sent to Nudge: "
                + fetched);
    }

    @Test
    void nudgeJsFromNudgeWorksOnAPageOfAnotherOrigin() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        browser.get("http://127.0.0.1:" + shop.getAddress().getPort() + "/nudge-js?nudge=" + service.httpPort());
        @SuppressWarnings("unchecked")
        List<Object> answer = (List<Object>) ((JavascriptExecutor) browser).executeAsyncScript(
                "var done = arguments[arguments.length - 1], run = arguments[0];"
                        + " for (var i = 0; i < 10; i++) nudge.track('Product Viewed', {product_id: run + '-' + i});"
                        + " nudge.flush().then(function () {"
                        + "   for (var i = 10; i < 15; i++) nudge.track('Product Viewed', {product_id: run + '-' + i});"
                        + "   return nudge.flush();"
                        + " }).then(function () { var kept = JSON.parse(localStorage.getItem('nudge.retry') || '[]');"
                        + "   done([kept.length, kept.length ? kept[0].at - Date.now() : 0]); });", run);
        // the host is where the script came from; the answers are readable, Retry-After included, across origins
        assertEquals(1L, answer.get(0), "the batch over the key's pace is kept");
        assertTrue(((Number) answer.get(1)).longValue() > 2000, "after Retry-After (5 s), not a 1 s backoff: "
                + answer.get(1));
        List<JsonNode> calls = new ArrayList<>();
        TestKafka.readUntil(BrokerExtension.bootstrap, service.config().kafka().topics().events(), records -> {
            calls.clear();
            for (ConsumerRecord<String, byte[]> r : records) {
                JsonNode call = tree(r.value());
                if (call.at("/properties/product_id").asText().startsWith(run + "-")) {
                    calls.add(call);
                }
            }
            return calls.size() >= 15;
        }, Duration.ofSeconds(30));
        assertEquals(15, calls.stream().map(c -> c.path("messageId").asText()).distinct().count(),
                "all sent, the refused five by the retry: " + calls);
    }

    /** A shop page of its own origin that loads nudge.js from Nudge, with the key in the tag. */
    private static byte[] nudgeJsPage() {
        return ("""
                <!doctype html><html><head><title>A shop with nudge.js</title>
                <script>document.write('<script src="http://127.0.0.1:'
                  + new URLSearchParams(location.search).get('nudge') + '/nudge.js" data-write-key="%s"><' + '/script>');
                </script></head><body>A shop</body></html>
                """.formatted(PACED_KEY)).getBytes(StandardCharsets.UTF_8);
    }

    /** The shop page: analytics.js with its settings given, so it asks Segment's CDN for nothing. */
    private static byte[] page() {
        return ("""
                <!doctype html><html><head><title>A shop with analytics.js</title>
                <script src="/analytics-next.umd.js"></script>
                <script>
                  var nudge = '127.0.0.1:' + new URLSearchParams(location.search).get('nudge') + '/v1';
                  window.analyticsReady = AnalyticsNext.AnalyticsBrowser.load({writeKey: '%s', cdnSettings: {
                      integrations: {'Segment.io': {apiKey: '%s', apiHost: nudge, protocol: 'http'}}}},
                    {integrations: {'Segment.io': {apiHost: nudge, protocol: 'http'}}})
                    .then(function (loaded) { return loaded[0]; });
                </script></head><body>A shop</body></html>
                """.formatted(KEY, KEY)).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = AnalyticsJsIT.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    private static JsonNode tree(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
