package dev.nudge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.app.NudgeService;
import dev.nudge.config.NudgeConfig;
import dev.nudge.event.Json;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.Paths;
import dev.nudge.testing.TestKafka;
import dev.nudge.testing.TestServices;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rules reloaded in a running service: working memory kept, bad rules refused, nothing decided twice. */
@ExtendWith(BrokerExtension.class)
class RuleReloadIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = Json.mapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String TOKEN = "reload-token";

    private static String cart(String id, String customer, String at) {
        return "{\"eventId\":\"" + id + "\",\"type\":\"CartUpdated\",\"customerId\":\"" + customer
                + "\",\"timestamp\":\"2026-03-02T" + at + "Z\",\"cartId\":\"cart-" + customer
                + "\",\"items\":[{\"productId\":\"mug\",\"name\":\"Mug\",\"price\":12,\"quantity\":1}]}";
    }

    private static String visit(String id, String at) {
        return "{\"eventId\":\"" + id + "\",\"type\":\"PageVisited\",\"customerId\":\"zoe\",\"timestamp\":\"2026-03-02T"
                + at + "Z\",\"url\":\"https://shop.example/\"}";
    }

    private static HttpResponse<String> reload(NudgeService service) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + "/rules/reload"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void edit(Path file, String from, String to) throws Exception {
        String s = Files.readString(file);
        assertTrue(s.contains(from), "the test's edit must apply: " + from);
        Files.writeString(file, s.replace(from, to));
    }

    /** A copy of the project's rules for the analyst of the test to edit, and a service that runs them. */
    private static Map<String, String> settingsWithRulesIn(Path rules) throws Exception {
        try (Stream<Path> files = Files.list(Paths.RULES)) {
            for (Path f : files.toList()) {
                Files.copy(f, rules.resolve(f.getFileName()));
            }
        }
        Map<String, String> settings = TestServices.settings(BrokerExtension.bootstrap, 1);
        settings.put("engine.rules-dir", rules.toString());
        settings.put("admin.token", TOKEN);
        return settings;
    }

    @Test
    void aLongerWindowReachesAPendingCartBadRulesAreRefusedAndARenameSendsNothingTwice(@TempDir Path rules)
            throws Exception {
        Map<String, String> settings = settingsWithRulesIn(rules);
        try (NudgeService service = NudgeService.start(TestServices.config(settings))) {
            NudgeConfig config = service.config();
            String bootstrap = config.kafka().bootstrapServers();
            String events = config.kafka().topics().events();
            TestKafka.produce(bootstrap, events, "ana", cart("c1", "ana", "10:00:00"));
            TestKafka.produce(bootstrap, events, "zoe", visit("v1", "10:10:00"));

            // an analyst gives carts 45 minutes instead of 30 while Ana's cart waits
            Path cartRules = rules.resolve("cart-abandonment.drl");
            edit(cartRules, "this after[1ms, 30m] $cart", "this after[1ms, 45m] $cart");
            edit(cartRules, "this after[0s, 30m] $cart", "this after[0s, 45m] $cart");
            HttpResponse<String> loaded = reload(service);
            assertEquals(200, loaded.statusCode(), loaded.body());
            String version = JSON.readTree(loaded.body()).get("version").asText();

            // a mistake in the next edit is refused and changes nothing
            Files.writeString(rules.resolve("broken.drl"), "package rules;\nimport dev.nudge.event.CartUpdated;\n"
                    + "rule \"Broken\"\nwhen\n  CartUpdated( cartid == \"c1\" )\nthen\nend\n");
            HttpResponse<String> refused = reload(service);
            assertEquals(422, refused.statusCode(), refused.body());
            JsonNode error = JSON.readTree(refused.body()).get("errors").get(0);
            assertEquals("broken.drl", error.get("file").asText(), refused.body());
            assertEquals(5, error.get("line").asInt(), refused.body());
            assertEquals(15, error.get("column").asInt(), refused.body());
            assertEquals("CartUpdated has no field 'cartid'; did you mean 'cartId'?", error.get("message").asText());
            assertTrue(error.get("raw").asText().contains("unable to resolve method using strict-mode"), refused.body());
            // GET /rules tells the analyst the same, until a good reload
            JsonNode status = JSON.readTree(HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + service.httpPort() + "/rules"))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertEquals(error, status.get("errors").get(0), status.toString());
            Files.delete(rules.resolve("broken.drl"));

            TestKafka.produce(bootstrap, events, "zoe", visit("v2", "10:31:01"));
            assertEquals(List.of(), TestKafka.readUntil(bootstrap, config.kafka().topics().decisions(), l -> false,
                    Duration.ofSeconds(3)), "30 minutes are no longer enough: the reloaded rule holds the cart");
            TestKafka.produce(bootstrap, events, "zoe", visit("v3", "10:46:01"));
            List<ConsumerRecord<String, byte[]>> decided = TestKafka.readUntil(bootstrap,
                    config.kafka().topics().decisions(), l -> !l.isEmpty(), WAIT);
            JsonNode d = JSON.readTree(decided.get(0).value());
            assertEquals("ana", d.get("customerId").asText());
            assertEquals("2026-03-02T10:45:00Z", d.get("decidedAt").asText(), "the cart waited in memory for 45 min");
            assertEquals(version, d.get("rulesVersion").asText());

            // renaming the rule makes Drools fire it again for Ana's cart: the same decision is not sent again
            edit(cartRules, "rule \"CartAbandonedAfter30Minutes\"", "rule \"CartLeftAlone\"");
            HttpResponse<String> renamed = reload(service);
            assertEquals(200, renamed.statusCode(), renamed.body());
            assertNotEquals(version, JSON.readTree(renamed.body()).get("version").asText());
            TestKafka.produce(bootstrap, events, "zoe", visit("v4", "10:50:00"));
            assertEquals(1, TestKafka.readUntil(bootstrap, config.kafka().topics().decisions(), l -> false,
                    Duration.ofSeconds(3)).size(), "Ana's mail was decided once, whatever the rule is called");
            assertEquals(List.of(), TestKafka.readUntil(bootstrap, config.kafka().topics().audit(), l -> false,
                    Duration.ofSeconds(1)), "nor decided again and suppressed: the repeat is not a decision at all");
        }
    }

    private static JsonNode rulesStatus(NudgeService service) throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort()
                + "/rules")).header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString())
                .body());
    }

    /** Asks until the files loaded say {@code loaded}: the watcher reloads a moment after a save. */
    private static void awaitFiles(NudgeService service, java.util.function.Predicate<String> loaded) {
        await("the watcher loads the change").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> rulesStatus(service).get("files").toString(), loaded);
    }

    /**
     * A Kubernetes ConfigMap mounted as the rules folder: each file is a link through {@code ..data}, and an update
     * writes the new files beside the old and swaps {@code ..data} in one rename, so no {@code .drl} name changes.
     */
    @Test
    void inWatchModeAnUpdatedConfigMapIsReloaded(@TempDir Path dir) throws Exception {
        Path v1 = Files.createDirectory(dir.resolve("..2026_12_01_v1"));
        Map<String, String> settings = settingsWithRulesIn(v1);
        Path rules = Files.createDirectory(dir.resolve("rules"));
        Files.move(v1, rules.resolve(v1.getFileName()));
        Files.createSymbolicLink(rules.resolve("..data"), v1.getFileName());
        List<String> drl;
        try (Stream<Path> files = Files.list(rules.resolve("..data"))) {
            drl = files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".drl")).toList();
        }
        for (String f : drl) {
            Files.createSymbolicLink(rules.resolve(f), Path.of("..data", f));
        }
        settings.put("engine.rules-dir", rules.toString());
        settings.put("rules.reload", "watch");
        try (NudgeService service = NudgeService.start(TestServices.config(settings))) {
            String before = rulesStatus(service).get("contentHash").asText();
            Path v2 = Files.createDirectory(rules.resolve("..2026_12_01_v2"));
            for (String f : drl) {
                Files.copy(rules.resolve(f), v2.resolve(f));
            }
            edit(v2.resolve("cart-abandonment.drl"), "after[1ms, 30m]", "after[1ms, 45m]");
            Files.createSymbolicLink(rules.resolve("..data_tmp"), v2.getFileName());
            Files.move(rules.resolve("..data_tmp"), rules.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            await("the watcher loads the swapped folder").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> rulesStatus(service).get("contentHash").asText(), h -> !h.equals(before));
        }
    }

    @Test
    void inWatchModeANewRuleStartsAndADeletedRuleCancelsWhatItHadPending(@TempDir Path rules) throws Exception {
        Map<String, String> settings = settingsWithRulesIn(rules);
        settings.put("rules.reload", "watch");
        try (NudgeService service = NudgeService.start(TestServices.config(settings))) {
            NudgeConfig config = service.config();
            String bootstrap = config.kafka().bootstrapServers();
            String events = config.kafka().topics().events();
            String decisions = config.kafka().topics().decisions();

            // Bob's cart waits for its 30 minutes when the analyst deletes cart abandonment
            TestKafka.produce(bootstrap, events, "bob", cart("b1", "bob", "11:00:00"));
            TestKafka.produce(bootstrap, events, "zoe", visit("w1", "11:05:00"));
            Files.delete(rules.resolve("cart-abandonment.drl"));
            awaitFiles(service, files -> !files.contains("cart-abandonment.drl"));
            // and saves a new trigger
            Files.writeString(rules.resolve("welcome.drl"), """
                    package rules;
                    import dev.nudge.event.PageVisited;
                    global dev.nudge.engine.Decisions decisions;
                    rule "WelcomePageSeen" @quietHours("send")
                    when
                        $v : PageVisited( url == "https://shop.example/welcome" )
                    then
                        decisions.trigger( drools, "welcome", $v );
                    end
                    """);
            awaitFiles(service, files -> files.contains("welcome.drl"));

            TestKafka.produce(bootstrap, events, "ann", "{\"eventId\":\"w2\",\"type\":\"PageVisited\","
                    + "\"customerId\":\"ann\",\"timestamp\":\"2026-03-02T11:40:00Z\","
                    + "\"url\":\"https://shop.example/welcome\"}");
            List<ConsumerRecord<String, byte[]>> decided = TestKafka.readUntil(bootstrap, decisions,
                    l -> !l.isEmpty(), WAIT);
            JsonNode d = JSON.readTree(decided.get(0).value());
            assertEquals("welcome", d.get("campaign").asText(), "the new rule decides");
            assertEquals("ann", d.get("customerId").asText());
            assertEquals(1, TestKafka.readUntil(bootstrap, decisions, l -> false, Duration.ofSeconds(3)).size(),
                    "Bob's cart, due at 11:30, was cancelled with its rule");
        }
    }
}
