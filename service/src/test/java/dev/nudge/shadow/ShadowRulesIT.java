package dev.nudge.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.app.NudgeService;
import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionKind;
import dev.nudge.engine.PartitionEngine;
import dev.nudge.engine.RuleCompiler;
import dev.nudge.engine.RuleSet;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.EventParser;
import dev.nudge.event.Json;
import dev.nudge.event.ParseResult;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.Paths;
import dev.nudge.testing.Scrape;
import dev.nudge.testing.TestKafka;
import dev.nudge.testing.TestServices;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shadow rules on a running Nudge with a real broker, through the real HTTP API: they decide into the shadow topic
 * only, the live topics hold exactly what the live rules alone decide, {@code GET /rules/shadow} counts the
 * difference, a withdrawal leaves no session, fact or further record behind, rules that do not compile are refused,
 * and a promotion is one reload that the rules folder keeps.
 *
 * <p>The shadow rules wait two hours for a cart instead of 30 minutes and mail a browse session from two views
 * instead of three. Given: c1's cart at 10:00, before the shadow starts; then c2's cart at 10:10 bought at 11:00
 * (a checkout naming no cart), c4's two views at 10:20 and 10:30, and a bystander at 14:00 to move event time on.
 * Then: c1 is mailed by both, at 10:30 live and 12:00 shadow (changed); c2 is mailed at 10:40 and voided by the
 * checkout live, and never decided in the shadow (removed); c4 is mailed at 11:30 by the shadow only (added).
 */
@ExtendWith(BrokerExtension.class)
class ShadowRulesIT {

    private static final String TOKEN = "shadow-admin-token-0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = Json.mapper();

    private static final List<String> BEFORE_THE_SHADOW = List.of(
            profile("c1"), profile("c2"), profile("c4"),
            cart("c1-cart", "c1", "2026-03-02T10:00:00Z"));
    private static final List<String> AFTER_THE_SHADOW_STARTS = List.of(
            cart("c2-cart", "c2", "2026-03-02T10:10:00Z"),
            view("c4-v1", "c4", "2026-03-02T10:20:00Z"),
            view("c4-v2", "c4", "2026-03-02T10:30:00Z"),
            "{\"eventId\":\"c2-order\",\"type\":\"CheckoutCompleted\",\"customerId\":\"c2\","
                    + "\"timestamp\":\"2026-03-02T11:00:00Z\",\"orderId\":\"o-c2\",\"total\":39.0}",
            visit("x0", "2026-03-02T13:00:00Z", "https://shop.example/boom"),
            visit("x1", "2026-03-02T14:00:00Z"));

    @Test
    void shadowRulesDecideIntoTheirTopicOnlyAndLeaveNothingWhenWithdrawn(@TempDir Path dir) throws Exception {
        Path rules = copyOfRules(dir.resolve("rules"));
        Map<String, String> settings = settings(rules);
        Map<String, String> candidate = candidateFiles();
        try (NudgeService service = NudgeService.start(TestServices.config(settings))) {
            String events = settings.get("kafka.topic.events");
            produce(events, BEFORE_THE_SHADOW);
            awaitAllProcessed(settings);

            assertEquals(401, send(service, "POST", "/rules/shadow", null, "{}").statusCode());
            HttpResponse<String> started = send(service, "POST", "/rules/shadow", TOKEN,
                    JSON.writeValueAsString(Map.of("files", candidate)));
            assertEquals(200, started.statusCode(), started.body());
            String shadowVersion = JSON.readTree(started.body()).get("shadowVersion").asText();
            // the partition's shadow session caught up on c1's cart before the next events
            await().atMost(Duration.ofSeconds(20)).until(() -> shadow(service).get("sessions").asLong() == 1);

            produce(events, AFTER_THE_SHADOW_STARTS);
            awaitAllProcessed(settings);

            JsonNode report = shadow(service);
            assertEquals("running", report.get("status").asText(), report.toString());
            assertEquals(shadowVersion, report.get("shadowVersion").asText());
            Map<String, String> counts = new TreeMap<>();
            report.get("campaigns").forEach(c -> counts.put(c.get("campaign").asText(), c.get("added").asLong() + "/"
                    + c.get("removed").asLong() + "/" + c.get("changed").asLong()));
            // added/removed/changed per campaign
            assertEquals(Map.of("cart-abandonment", "0/1/1", "browse-abandonment", "1/0/0"), counts,
                    report.toString());
            Map<String, String> byCustomer = new TreeMap<>();
            report.get("differences").forEach(d -> byCustomer.put(d.get("customerId").asText(),
                    d.get("change").asText()));
            assertEquals(Map.of("c1", "changed", "c2", "removed", "c4", "added"), byCustomer);
            // a shadow rule that fails is counted there; the live rules never saw it, so nothing is dead-lettered
            assertEquals(1, report.get("ruleFailures").asLong(), report.toString());
            assertTrue(report.get("lastRuleFailure").asText().contains("ShadowRuleThatFails"), report.toString());
            assertEquals(List.of(), TestKafka.readUntil(BrokerExtension.bootstrap,
                    settings.get("kafka.topic.dead-letters"), x -> false, Duration.ofSeconds(1)));
            String text = send(service, "GET", "/rules/shadow?format=text", TOKEN, null).body();
            assertTrue(text.contains("browse-abandonment, added (1):\n  c4  mail at 2026-03-02T11:30:00Z"), text);

            // the live topics hold exactly what the live rules decide alone; the shadow topic what the shadow rules do
            RuleSet live = compile(rules);
            RuleSet shadowRules = compile(withFiles(rules, candidate, dir.resolve("candidate")));
            List<String> all = new ArrayList<>(BEFORE_THE_SHADOW);
            all.addAll(AFTER_THE_SHADOW_STARTS);
            List<Decision> liveAlone = decide(live, all);
            List<Decision> shadowAlone = decide(shadowRules, all);
            assertEquals(expected(liveAlone, DecisionKind.Route.DECISIONS),
                    read(settings.get("kafka.topic.decisions"), live.contentHash()));
            assertEquals(expected(liveAlone, DecisionKind.Route.AUDIT),
                    read(settings.get("kafka.topic.audit"), live.contentHash()));
            List<String> shadowTopic = read(settings.get("kafka.topic.shadow-decisions"),
                    shadowRules.contentHash());
            assertEquals(shadowAlone.stream().map(ShadowRulesIT::line).sorted().toList(), shadowTopic);
            assertTrue(shadowTopic.stream().anyMatch(l -> l.startsWith("c4 mail")), shadowTopic.toString());

            // rules that do not compile are refused with their place, and nothing changes
            HttpResponse<String> broken = send(service, "POST", "/rules/shadow", TOKEN,
                    "{\"files\":{\"broken.drl\":\"package rules;\\n\\nrule \\\"Oops\\\"\\nwhen\\n    CartUpdated( \\n"
                            + "then\\nend\\n\"}}");
            assertEquals(422, broken.statusCode(), broken.body());
            JsonNode error = JSON.readTree(broken.body()).get("errors").get(0);
            assertEquals("broken.drl", error.get("file").asText(), broken.body());
            assertTrue(error.get("line").asInt() > 0 && error.get("column").asInt() >= 0, broken.body());
            assertTrue(error.get("text").asText().startsWith("broken.drl:" + error.get("line").asInt() + ":"),
                    broken.body());
            assertEquals(shadowVersion, shadow(service).get("shadowVersion").asText());
            assertEquals(live.contentHash(), JSON.readTree(send(service, "GET", "/rules", TOKEN, null).body())
                    .get("contentHash").asText());

            // withdrawn: no session, no fact, no further record in the shadow topic
            assertTrue(Scrape.metric(service.httpPort(), "nudge_shadow_facts", "") > 0);
            assertEquals(200, send(service, "DELETE", "/rules/shadow", TOKEN, null).statusCode());
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertEquals(0.0, Scrape.metric(service.httpPort(), "nudge_shadow_sessions", ""));
                assertEquals(0.0, Scrape.metric(service.httpPort(), "nudge_shadow_facts", ""));
            });
            JsonNode after = shadow(service);
            assertEquals("none", after.get("status").asText(), after.toString());
            assertTrue(after.get("ended").get("reason").asText().contains("DELETE"), after.toString());
            // c5's two views would be a shadow mail at 16:10, as c4's were
            produce(events, List.of(profile("c5"), view("c5-v1", "c5", "2026-03-02T15:00:00Z"),
                    view("c5-v2", "c5", "2026-03-02T15:10:00Z"), visit("x2", "2026-03-02T18:00:00Z")));
            awaitAllProcessed(settings);
            assertEquals(shadowTopic, read(settings.get("kafka.topic.shadow-decisions"), shadowRules.contentHash()));
            assertEquals(404, send(service, "DELETE", "/rules/shadow", TOKEN, null).statusCode());
        }
    }

    @Test
    void promotingIsOneReloadThatTheRulesFolderKeeps(@TempDir Path dir) throws Exception {
        Path rules = copyOfRules(dir.resolve("rules"));
        Path candidate = withFiles(rules, candidateFiles(), dir.resolve("candidate"));
        Map<String, String> settings = settings(rules);
        settings.put("rules.shadow-dir", candidate.toString());
        try (NudgeService service = NudgeService.start(TestServices.config(settings))) {
            JsonNode report = shadow(service);
            assertEquals("running", report.get("status").asText(), report.toString());
            assertEquals(candidate.toString(), report.get("source").asText());
            assertTrue(report.get("files").toString().contains("failing.drl"), report.toString());
            String shadowHash = report.get("shadowVersion").asText();
            String liveHash = JSON.readTree(send(service, "GET", "/rules", TOKEN, null).body())
                    .get("contentHash").asText();

            if (readOnly(rules, true)) {
                try {
                    HttpResponse<String> refused = send(service, "POST", "/rules/shadow/promote", TOKEN, "");
                    assertEquals(409, refused.statusCode(), refused.body());
                    assertTrue(refused.body().contains("cannot be written"), refused.body());
                } finally {
                    readOnly(rules, false);
                }
                assertEquals(liveHash, JSON.readTree(send(service, "GET", "/rules", TOKEN, null).body())
                        .get("contentHash").asText());
                assertEquals(shadowHash, shadow(service).get("shadowVersion").asText(), "still running");
            }

            // other shadow rules replace them: the folder's cart rule, without its failing file
            Map<String, String> replacement = new TreeMap<>(candidateFiles());
            replacement.put("failing.drl", null);
            HttpResponse<String> replaced = send(service, "POST", "/rules/shadow", TOKEN,
                    JSON.writeValueAsString(Map.of("files", replacement)));
            assertEquals(200, replaced.statusCode(), replaced.body());
            String replacementHash = JSON.readTree(replaced.body()).get("shadowVersion").asText();
            JsonNode now = shadow(service);
            assertEquals("POST /rules/shadow", now.get("source").asText());
            assertTrue(now.get("ended").get("reason").asText().contains("replaced by " + replacementHash),
                    now.toString());
            await().atMost(Duration.ofSeconds(20)).until(() -> shadow(service).get("sessions").asLong() == 1);

            HttpResponse<String> promoted = send(service, "POST", "/rules/shadow/promote", TOKEN, "");
            assertEquals(200, promoted.statusCode(), promoted.body());
            assertEquals(replacementHash, JSON.readTree(send(service, "GET", "/rules", TOKEN, null).body())
                    .get("contentHash").asText());
            Map<String, String> expected = drlFiles(candidate);
            expected.remove("failing.drl");
            assertEquals(expected, drlFiles(rules), "the rules folder holds the promoted rules, and no other");
            JsonNode after = shadow(service);
            assertEquals("none", after.get("status").asText(), after.toString());
            assertTrue(after.get("ended").get("reason").asText().startsWith("promoted"), after.toString());
            assertEquals(404, send(service, "POST", "/rules/shadow/promote", TOKEN, "").statusCode());
        }
    }

    @Test
    void shadowRulesThatDoNotCompileAtTheStartLeaveTheServiceRunningWithoutThem(@TempDir Path dir) throws Exception {
        Path rules = copyOfRules(dir.resolve("rules"));
        Path broken = withFiles(rules, Map.of("broken.drl", "package rules;\n\nrule \"Oops\"\nwhen\n    CartUpdated( \n"
                + "then\nend\n"), dir.resolve("broken"));
        Map<String, String> settings = settings(rules);
        settings.put("rules.shadow-dir", broken.toString());
        try (NudgeService service = NudgeService.start(TestServices.config(settings))) {
            JsonNode report = shadow(service);
            assertEquals("none", report.get("status").asText(), report.toString());
            JsonNode error = report.get("ended").get("errors").get(0);
            assertEquals("broken.drl", error.get("file").asText(), report.toString());
            assertEquals(5, error.get("line").asInt(), report.toString());
            assertTrue(report.get("ended").get("reason").asText().contains(broken.toString()), report.toString());
            assertTrue(send(service, "GET", "/rules/shadow?format=text", TOKEN, null).body()
                    .contains("broken.drl:5:"));
            assertEquals(0.0, Scrape.metric(service.httpPort(), "nudge_shadow_sessions", ""));
        }
    }

    /** Makes the folder unwritable even for root ({@code chattr +i}), or writable again; false if it cannot be done. */
    private static boolean readOnly(Path dir, boolean on) throws Exception {
        if ("root".equals(System.getProperty("user.name"))) {
            try {
                Process p = new ProcessBuilder("chattr", on ? "+i" : "-i", dir.toString()).redirectErrorStream(true)
                        .start();
                return p.waitFor() == 0;
            } catch (java.io.IOException e) {
                return false;
            }
        }
        return dir.toFile().setWritable(!on) && on;
    }

    private static Map<String, String> settings(Path rules) {
        Map<String, String> s = TestServices.settings(BrokerExtension.bootstrap, 1);
        s.put("admin.token", TOKEN);
        s.put("engine.rules-dir", rules.toString());
        // no hold while checkouts are quiet: the few events here would otherwise hold every mail
        s.put("engine.source-max-lag.CheckoutCompleted", "0");
        return s;
    }

    /** The shadow rules: carts wait two hours, two views make a browse session, and one rule fails on /boom. */
    private static Map<String, String> candidateFiles() throws Exception {
        String cart = Files.readString(Paths.RULES.resolve("cart-abandonment.drl"));
        String browse = Files.readString(Paths.RULES.resolve("browse-abandonment.drl"));
        assertTrue(cart.contains("after[1ms, 30m]") && browse.contains("$earlier >= 2"));
        return Map.of("cart-abandonment.drl", cart.replace("after[1ms, 30m]", "after[1ms, 2h]")
                        .replace("after[0s, 30m]", "after[0s, 2h]"),
                "browse-abandonment.drl", browse.replace("$earlier >= 2", "$earlier >= 1"),
                "failing.drl", """
                        package rules;
                        import dev.nudge.event.PageVisited;

                        rule "ShadowRuleThatFails"
                        when
                            PageVisited( url == "https://shop.example/boom" )
                        then
                            throw new IllegalStateException("boom");
                        end
                        """);
    }

    private static Path copyOfRules(Path to) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(Paths.RULES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".drl")).toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    private static Path withFiles(Path rules, Map<String, String> files, Path to) throws Exception {
        copyOfRules(to);
        for (var e : files.entrySet()) {
            Files.writeString(to.resolve(e.getKey()), e.getValue());
        }
        return to;
    }

    private static Map<String, String> drlFiles(Path dir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".drl")).toList()) {
                out.put(f.getFileName().toString(), Files.readString(f));
            }
        }
        return out;
    }

    private static RuleSet compile(Path dir) throws Exception {
        RuleCompiler.Result r = new RuleCompiler(Clock.systemUTC()).compile(dir);
        assertTrue(r.ok(), r.errors().toString());
        return r.rules();
    }

    /** What {@code rules} decide on {@code events} alone, in one session, as the pipeline's partition would. */
    private static List<Decision> decide(RuleSet rules, List<String> events) {
        EventParser parser = new EventParser(JSON);
        List<Decision> out = new ArrayList<>();
        try (PartitionEngine engine = new PartitionEngine(rules, TestServices.config(settings(Path.of("rules")))
                .engine().settings())) {
            for (String e : events) {
                CustomerEvent event = ((ParseResult.Parsed) parser.parse(e.getBytes(StandardCharsets.UTF_8)))
                        .event();
                out.addAll(engine.accept(event).decisions());
            }
        }
        return out;
    }

    private static List<String> expected(List<Decision> decisions, DecisionKind.Route route) {
        return decisions.stream().filter(d -> d.kind().routes().contains(route)).map(ShadowRulesIT::line).sorted()
                .toList();
    }

    private static String line(Decision d) {
        return d.customerId() + " " + d.kind().code() + " " + d.campaign() + " " + d.decidedAt() + " " + d.decisionId();
    }

    /** The topic's decisions as lines, each checked to come from the rules of content hash {@code version}. */
    private static List<String> read(String topic, String version) throws Exception {
        List<String> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : TestKafka.readUntil(BrokerExtension.bootstrap, topic, x -> false,
                Duration.ofSeconds(2))) {
            Decision d = JSON.readValue(r.value(), Decision.class);
            assertTrue(d.rulesVersion().startsWith(version + "@"), topic + ": " + d);
            out.add(line(d));
        }
        return out.stream().sorted().toList();
    }

    /** Waits until the engine has committed the end of the events topic: everything sent so far is decided. */
    private static void awaitAllProcessed(Map<String, String> settings) throws Exception {
        TopicPartition tp = new TopicPartition(settings.get("kafka.topic.events"), 0);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BrokerExtension.bootstrap))) {
            long end = admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset();
            TestKafka.awaitCommitted(BrokerExtension.bootstrap, settings.get("kafka.consumer.group"), tp, end);
        }
    }

    private static JsonNode shadow(NudgeService service) throws Exception {
        HttpResponse<String> r = send(service, "GET", "/rules/shadow", TOKEN, null);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static HttpResponse<String> send(NudgeService service, String method, String path, String token,
                                             String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + path))
                .header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Each event as a shop's producer sends it: keyed by customer, the record stamped with the event's time. */
    private static void produce(String topic, List<String> events) throws Exception {
        try (var producer = new KafkaProducer<String, byte[]>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BrokerExtension.bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            for (String e : events) {
                JsonNode n = JSON.readTree(e);
                // stamped now by the producer, not with the event's time: records stamped in March are past the events
                // topic's 8-day retention, and the broker deletes them at its next retention check (every 5 minutes),
                // so a shadow session catching up after that found nothing to read
                producer.send(new ProducerRecord<>(topic, n.get("customerId").asText(),
                        e.getBytes(StandardCharsets.UTF_8))).get();
            }
        }
    }

    private static String profile(String customer) {
        return "{\"eventId\":\"p-" + customer + "\",\"type\":\"CustomerProfile\",\"customerId\":\"" + customer
                + "\",\"timestamp\":\"2026-03-02T09:00:00Z\",\"email\":\"" + customer + "@example.com\","
                + "\"marketingConsent\":true}";
    }

    private static String cart(String id, String customer, String at) {
        return "{\"eventId\":\"" + id + "\",\"type\":\"CartUpdated\",\"customerId\":\"" + customer + "\",\"timestamp\":\""
                + at + "\",\"cartId\":\"cart-" + customer + "\",\"items\":[{\"productId\":\"lamp\",\"name\":\"Lamp\","
                + "\"price\":39,\"quantity\":1}]}";
    }

    private static String view(String id, String customer, String at) {
        return "{\"eventId\":\"" + id + "\",\"type\":\"ProductViewed\",\"customerId\":\"" + customer
                + "\",\"timestamp\":\"" + at + "\",\"productId\":\"lamp-" + customer + "\",\"name\":\"Desk lamp\","
                + "\"price\":39.0}";
    }

    private static String visit(String id, String at) {
        return visit(id, at, "https://shop.example/");
    }

    private static String visit(String id, String at, String url) {
        return "{\"eventId\":\"" + id + "\",\"type\":\"PageVisited\",\"customerId\":\"bystander\",\"timestamp\":\""
                + at + "\",\"url\":\"" + url + "\"}";
    }
}
