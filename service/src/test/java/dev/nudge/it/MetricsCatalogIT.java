package dev.nudge.it;

import dev.nudge.app.NudgeService;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.Ingest;
import dev.nudge.testing.Monitoring;
import dev.nudge.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every metric the shipped dashboard and alert rules read is on {@code /metrics} of a running Nudge, with HELP text:
 * a Nudge on a real broker with its send stage on the embedded SMTP server gets a day of events that decide, mail,
 * suppress, hold, release and revoke, and the test reads {@code /metrics} as Prometheus would.
 */
@ExtendWith(BrokerExtension.class)
class MetricsCatalogIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static NudgeService service;

    @BeforeAll
    static void start() throws Exception {
        service = NudgeService.start(TestServices.config(TestServices.settings(BrokerExtension.bootstrap, 1)));
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    @Test
    void everyMetricTheDashboardAndTheAlertsReadIsExposed() throws Exception {
        // a stale cart the day before: suppressed to the audit topic
        post("""
                [{"eventId":"s1","type":"PageVisited","customerId":"sam","timestamp":"2026-03-01T13:00:00Z","url":"/"},
                 {"eventId":"s2","type":"CartUpdated","customerId":"sam","timestamp":"2026-03-01T11:00:00Z",
                  "cartId":"cart-sam","items":[{"productId":"lamp","name":"Lamp","price":39,"quantity":1}]}]""");
        StringBuilder profiles = new StringBuilder();
        for (String customer : List.of("ana", "bob", "cy")) {
            profiles.append("""
                    {"eventId":"p-%1$s","type":"CustomerProfile","customerId":"%1$s","timestamp":"2026-03-02T09:00:00Z",
                     "email":"%1$s@example.com","firstName":"%1$s","marketingConsent":true},
                    """.formatted(customer));
        }
        post("[" + profiles + """
                 {"eventId":"o1","type":"CheckoutCompleted","customerId":"zoe","timestamp":"2026-03-02T10:00:00Z",
                  "orderId":"order-o1","total":39.0},
                 {"eventId":"c1","type":"CartUpdated","customerId":"ana","timestamp":"2026-03-02T10:05:00Z",
                  "cartId":"cart-ana","items":[{"productId":"shoe","name":"Trail shoe","price":89.9,"quantity":1}]},
                 {"eventId":"c2","type":"CartUpdated","customerId":"bob","timestamp":"2026-03-02T10:05:00Z",
                  "cartId":"cart-bob","items":[{"productId":"lamp","name":"Lamp","price":39,"quantity":1}]},
                 {"eventId":"x1","type":"PageVisited","customerId":"eve","timestamp":"2026-03-02T10:36:00Z","url":"/"},
                 {"eventId":"o2","type":"CheckoutCompleted","customerId":"bob","timestamp":"2026-03-02T10:40:00Z",
                  "cartId":"cart-bob","orderId":"order-o2","total":39.0},
                 {"eventId":"c3","type":"CartUpdated","customerId":"cy","timestamp":"2026-03-02T11:45:00Z",
                  "cartId":"cart-cy","items":[{"productId":"mug","name":"Mug","price":12,"quantity":2}]},
                 {"eventId":"x2","type":"PageVisited","customerId":"eve","timestamp":"2026-03-02T12:20:00Z","url":"/"},
                 {"eventId":"o3","type":"CheckoutCompleted","customerId":"zoe","timestamp":"2026-03-02T12:25:00Z",
                  "orderId":"order-o3","total":12.0},
                 {"eventId":"x3","type":"PageVisited","customerId":"eve","timestamp":"2026-03-02T12:30:00Z","url":"/"}]""");
        // ana's and bob's carts are mailed at 10:35, bob's mail revoked by his order, cy's held at 12:15 while no
        // checkout came for over an hour and released when one did; a running service collects garbage within
        // seconds, the test does not wait for that
        System.gc();
        String decisions = service.config().kafka().topics().decisions();
        Set<String> used = new TreeSet<>();
        Monitoring.dashboardExpressions().forEach(e -> used.addAll(Monitoring.metricNames(e)));
        Monitoring.alertExpressions().forEach(e -> used.addAll(Monitoring.metricNames(e)));
        assertTrue(used.size() > 25, "names read from the files: " + used);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            String now = scrape();
            assertEquals(Set.of(), missing(used, now), "used by the dashboard or the alerts, not exposed");
            assertTrue(sample(now, "nudge_decisions_released_total", "outcome=\"sent\"") >= 1, "cy's mail released");
            assertTrue(sample(now, "nudge_mails_total", "outcome=\"sent\"") >= 2, "ana's and cy's mails went out");
            assertTrue(sample(now, "nudge_consumer_partition_position", "topic=\"" + decisions + "\"") >= 2,
                    "the send stage's position in the decisions topic moves as it settles mails");
        });

        String scrape = scrape();
        Map<String, String> help = help(scrape);
        for (String family : families(scrape)) {
            if (family.startsWith("nudge_")) {
                assertTrue(!help.getOrDefault(family, "").isBlank(), family + " has HELP text");
            }
        }
        for (String histogram : List.of("nudge_decision_latency_seconds", "nudge_mail_delivery_seconds",
                "nudge_rules_evaluation_seconds")) {
            assertTrue(scrape.contains("# TYPE " + histogram + " histogram"), histogram);
        }
        assertTrue(sample(scrape, "nudge_decisions_held_total", "reason=\"source-quiet\"") >= 1, "cy's mail held");
        assertTrue(sample(scrape, "nudge_decisions_voided_total", "reason=\"purchased\"") >= 1, "bob's revoked");
        assertTrue(sample(scrape, "nudge_consumer_partition_position", "partition=\"0\"") >= 11, "all consumed");
    }

    /** The names of {@code used} that no sample line of the scrape carries. */
    private static Set<String> missing(Set<String> used, String scrape) {
        Set<String> samples = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^([a-zA-Z_:][\\w:]*)[{ ]").matcher(scrape);
        while (m.find()) {
            samples.add(m.group(1));
        }
        Set<String> out = new TreeSet<>(used);
        out.removeAll(samples);
        return out;
    }

    private static Set<String> families(String scrape) {
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^# TYPE (\\S+) ").matcher(scrape);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static Map<String, String> help(String scrape) {
        Map<String, String> out = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^# HELP (\\S+) ?(.*)$").matcher(scrape);
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }

    private static double sample(String scrape, String name, String label) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{([^}]*)} (\\S+)$").matcher(scrape);
        double sum = 0;
        while (m.find()) {
            if (m.group(1).contains(label)) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    private static void post(String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort()
                        + "/events")).header("Authorization", Ingest.AUTH).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
    }

    private static String scrape() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort()
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return r.body();
    }
}
