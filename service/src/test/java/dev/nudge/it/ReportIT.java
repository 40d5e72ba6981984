package dev.nudge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.app.NudgeService;
import dev.nudge.cli.Main;
import dev.nudge.config.NudgeConfig;
import dev.nudge.decision.Conversion;
import dev.nudge.event.Json;
import dev.nudge.report.CampaignReports;
import dev.nudge.report.Report;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.TestKafka;
import dev.nudge.testing.TestServices;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The campaign report from a real conversions topic: {@code GET /campaigns} for admins only, and {@code nudge report}
 * printing the same figures.
 */
@ExtendWith(BrokerExtension.class)
class ReportIT {

    private static final String TOKEN = "report-admin-token-0123456789";
    private static final ObjectMapper JSON = Json.mapper();
    private static final Instant DECIDED = Instant.parse("2026-11-20T10:00:00Z");

    @Test
    void theReportCountsTheArmsOfEachCampaignFromTheTopic(@TempDir Path dir) throws Exception {
        Map<String, String> settings = TestServices.settings(BrokerExtension.bootstrap, 2);
        settings.put("admin.token", TOKEN);
        settings.put("decisions.holdout-percent", "10");
        NudgeConfig config = TestServices.config(settings);
        try (NudgeService service = NudgeService.start(config)) {
            HttpClient http = HttpClient.newHttpClient();
            assertEquals(401, get(http, service, null).statusCode(), "the report is for admins");
            assertEquals(401, get(http, service, "not-the-token").statusCode());

            // cart: 900 mailed (90 ordered, 25.00 EUR each), 100 held out (5 ordered); 10% as configured
            // browse: 100 mailed and not one held out, against 10% configured: the split went wrong
            List<Conversion> records = new ArrayList<>();
            arm(records, "cart", Conversion.MAILED, 900, 90);
            arm(records, "cart", Conversion.HOLDOUT, 100, 5);
            arm(records, "browse", Conversion.MAILED, 100, 3);
            records.add(records.get(0)); // written twice, counted once
            write(config.kafka().topics().conversions(), records);
            TestKafka.produce(BrokerExtension.bootstrap, config.kafka().topics().events(), "c1", """
                    {"eventId":"u1","type":"Unsubscribed","customerId":"c1","timestamp":"2026-11-20T12:00:00Z",\
                    "campaign":"cart"}""");
            // the send stage's hard bounce names its campaign; a soft one, or one without a campaign, is no guardrail
            TestKafka.produce(BrokerExtension.bootstrap, config.kafka().topics().events(), "c2", """
                    {"eventId":"bounce-d2","type":"EmailBounced","customerId":"c2","timestamp":"2026-11-20T12:00:00Z",\
                    "hard":true,"detail":"550 5.1.1 user unknown","campaign":"cart"}""");
            TestKafka.produce(BrokerExtension.bootstrap, config.kafka().topics().events(), "c3", """
                    {"eventId":"b3","type":"EmailBounced","customerId":"c3","timestamp":"2026-11-20T12:00:00Z",\
                    "hard":false,"campaign":"cart"}""");
            TestKafka.produce(BrokerExtension.bootstrap, config.kafka().topics().events(), "c4", """
                    {"eventId":"b4","type":"EmailBounced","customerId":"c4","timestamp":"2026-11-20T12:00:00Z",\
                    "hard":true}""");

            HttpResponse<String> r = get(http, service, TOKEN);
            assertEquals(200, r.statusCode(), r.body());
            JsonNode body = JSON.readTree(r.body());
            assertEquals(1000 + 95 + 100 + 3 + 1, body.get("records").asLong());
            Map<String, JsonNode> rows = new java.util.LinkedHashMap<>();
            body.get("campaigns").forEach(c -> rows.put(c.get("campaign").asText() + " "
                    + c.path("rulesVersion").asText("all"), c));
            assertEquals(List.of("browse all", "browse v7", "cart all", "cart v7"), List.copyOf(rows.keySet()));

            JsonNode cart = rows.get("cart all");
            assertEquals(900, cart.at("/mailed/assigned").asLong());
            assertEquals(90, cart.at("/mailed/conversions").asLong());
            assertEquals(100, cart.at("/holdout/assigned").asLong());
            assertEquals(5, cart.at("/holdout/conversions").asLong());
            assertEquals("OK", cart.get("sample").asText());
            assertEquals(0.05, cart.at("/absoluteLift/estimate").asDouble(), 1e-12);
            // Newcombe's method 10 for 90/900 - 5/100, with scipy.stats.norm: -0.014301, 0.085564
            assertEquals(-0.014301, cart.at("/absoluteLift/low").asDouble(), 1e-6);
            assertEquals(0.085564, cart.at("/absoluteLift/high").asDouble(), 1e-6);
            assertEquals(45.0, cart.get("incrementalOrders").asDouble(), 1e-9);
            // (90 x 25 / 900 - 5 x 25 / 100) x 900
            assertEquals(new BigDecimal("1125.00"), cart.at("/incrementalRevenue/EUR").decimalValue());
            assertFalse(cart.at("/sampleRatio/mismatch").asBoolean());
            assertEquals(1, cart.at("/guardrails/unsubscribes").asLong());
            assertEquals(1, cart.at("/guardrails/hardBounces").asLong());

            JsonNode browse = rows.get("browse all");
            assertEquals("NO_HOLDOUT", browse.get("sample").asText());
            assertTrue(browse.at("/sampleRatio/mismatch").asBoolean());
            assertTrue(browse.path("absoluteLift").isMissingNode(), "no lift without a holdout");

            String printed = run("report", "--config", properties(dir, settings).toString(),
                    "--bootstrap-servers", BrokerExtension.bootstrap);
            String cartLine = line(printed, String.format("%-24s all", "cart"));
            assertTrue(cartLine.contains("10.00    5.00 +5.00 [-1.43, +8.56]"), printed);
            assertTrue(cartLine.contains("1125.00 EUR"), printed);
            assertTrue(cartLine.contains("ok / unsub 1.1, spam 0.0, bounce 1.1"), printed);
            assertTrue(line(printed, String.format("%-24s all", "browse")).contains("MISMATCH"), printed);
        }
    }

    @Test
    void aReportBeforeTheTopicsExistIsEmpty() throws Exception {
        NudgeConfig config = TestServices.config(TestServices.settings(BrokerExtension.bootstrap, 1));

        Report report = new CampaignReports(config, JSON, Clock.systemUTC()).read(false);

        assertEquals(0, report.records());
        assertTrue(report.campaigns().isEmpty());
        assertEquals(0, report.events());
    }

    private static HttpResponse<String> get(HttpClient http, NudgeService service, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort()
                + "/campaigns"));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void arm(List<Conversion> out, String campaign, String arm, int n, int converted) {
        for (int i = 0; i < n; i++) {
            String id = campaign + "-" + arm + "-" + i;
            out.add(Conversion.assigned(id, campaign, arm, "c" + i, "v7", DECIDED));
            if (i < converted) {
                out.add(Conversion.converted(id, campaign, arm, "c" + i, "v7", DECIDED, "o-" + id,
                        new BigDecimal("25.00"), "EUR", DECIDED.plusSeconds(600)));
            }
        }
    }

    private static void write(String topic, List<Conversion> records) throws Exception {
        try (var producer = new KafkaProducer<String, byte[]>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BrokerExtension.bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            List<Future<?>> sent = new ArrayList<>();
            for (Conversion c : records) {
                sent.add(producer.send(new ProducerRecord<>(topic, c.customerId(), JSON.writeValueAsBytes(c))));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        }
    }

    private static Path properties(Path dir, Map<String, String> settings) throws Exception {
        Path file = dir.resolve("nudge.properties");
        Files.writeString(file, settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n")));
        return file;
    }

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream was = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, new CommandLine(new Main()).execute(args));
        } finally {
            System.setOut(was);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String line(String text, String start) {
        return text.lines().filter(l -> l.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no line " + start + " in\n" + text));
    }
}
