package dev.nudge.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nudge.app.NudgeService;
import dev.nudge.cli.Main;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.EventWriter;
import dev.nudge.event.Json;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.TestServices;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code nudge rules backtest} against a real events topic: it reports exactly the decisions the candidate rules add,
 * and writes nothing to any topic (every topic's end offsets, and the list of topics, are unchanged).
 */
@ExtendWith(BrokerExtension.class)
class BacktestIT {

    private static final String TOKEN = "backtest-admin-token-0123456789";

    @Test
    void theCommandReportsWhatTheCandidateAddsAndWritesNothing(@TempDir Path dir) throws Exception {
        Map<String, String> settings = TestServices.settings(BrokerExtension.bootstrap, 2);
        String topic = settings.get("kafka.topic.events");
        BrowseSessions sessions = BrowseSessions.make();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BrokerExtension.bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
            produce(topic, sessions.events());
            Map<TopicPartition, Long> before = endOffsets(admin);
            Path config = dir.resolve("nudge.properties");
            Files.writeString(config, settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("\n")));
            Path candidate = BacktestTest.copyOfRules(dir.resolve("candidate"), "browse-abandonment.drl",
                    "$earlier >= 2", "$earlier >= 1");

            String text = run("rules", "backtest", "--config", config.toString(), "--rules", candidate.toString(),
                    "--since", "7d");
            assertTrue(text.contains(sessions.events().size() + " events from 2026-03-02T00:00:00Z"), text);
            assertTrue(text.contains("browse-abandonment, added (30, first 5):"), text);
            assertTrue(text.contains("FLAG browse-abandonment: mails more than doubled (10 -> 40)"), text);

            JsonNode json = Json.mapper().readTree(run("rules", "backtest", "--config", config.toString(), "--rules",
                    candidate.toString(), "--json"));
            Set<String> added = new TreeSet<>();
            json.get("differences").forEach(d -> {
                assertEquals("added", d.get("change").asText(), d.toString());
                added.add(d.get("customerId").asText());
            });
            assertEquals(sessions.twoViewsLast().keySet(), added);

            assertEquals(before, endOffsets(admin), "the backtest wrote to a topic");
        }
    }

    /** {@code POST /rules/backtest}: admins only; DRL in the body, not a path; the same answer as the command's JSON. */
    @Test
    void theEndpointBacktestsTheFilesOfTheBody() throws Exception {
        Map<String, String> settings = TestServices.settings(BrokerExtension.bootstrap, 2);
        settings.put("admin.token", TOKEN);
        BrowseSessions sessions = BrowseSessions.make();
        String drl = Files.readString(dev.nudge.testing.Paths.RULES.resolve("browse-abandonment.drl"))
                .replace("$earlier >= 2", "$earlier >= 1");
        String body = Json.mapper().writeValueAsString(Map.of("files", Map.of("browse-abandonment.drl", drl),
                "since", "7d"));
        try (NudgeService service = NudgeService.start(TestServices.config(settings))) {
            produce(settings.get("kafka.topic.events"), sessions.events());
            HttpClient http = HttpClient.newHttpClient();
            assertEquals(401, post(http, service, null, body).statusCode());

            HttpResponse<String> r = post(http, service, TOKEN, body);
            assertEquals(200, r.statusCode(), r.body());
            JsonNode json = Json.mapper().readTree(r.body());
            // the running service adds its own events (the send stage's EmailSent): the same on both sides
            assertTrue(json.get("events").asLong() >= sessions.events().size(), r.body());
            Set<String> added = new TreeSet<>();
            json.get("differences").forEach(d -> {
                assertEquals("added", d.get("change").asText(), d.toString());
                added.add(d.get("customerId").asText());
            });
            assertEquals(sessions.twoViewsLast().keySet(), added);

            HttpResponse<String> path = post(http, service, TOKEN, "{\"files\":{\"../x.drl\":\"rule\"}}");
            assertEquals(400, path.statusCode(), path.body());
            HttpResponse<String> broken = post(http, service, TOKEN, "{\"files\":{\"x.drl\":\"rule oops\"}}");
            assertEquals(422, broken.statusCode(), broken.body());
            assertTrue(broken.body().contains("x.drl"), broken.body());
        }
    }

    private static HttpResponse<String> post(HttpClient http, NudgeService service, String token, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort()
                + "/rules/backtest")).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin) throws Exception {
        Set<String> topics = admin.listTopics().names().get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get().forEach((name, d) -> d.partitions()
                .forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    private static void produce(String topic, List<CustomerEvent> events) throws Exception {
        EventWriter writer = new EventWriter(Json.mapper());
        try (var producer = new KafkaProducer<String, byte[]>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BrokerExtension.bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            for (CustomerEvent e : events) {
                producer.send(new ProducerRecord<>(topic, e.customerId(), writer.write(e)));
            }
            producer.flush();
        }
    }

    private static String run(String... args) {
        StringWriter err = new StringWriter();
        var out = new java.io.ByteArrayOutputStream();
        var was = System.out;
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        int exit;
        try {
            CommandLine cl = Main.commandLine();
            cl.setErr(new PrintWriter(err, true));
            exit = cl.execute(args);
        } finally {
            System.setOut(was);
        }
        String printed = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, exit, printed + err);
        return printed;
    }
}
