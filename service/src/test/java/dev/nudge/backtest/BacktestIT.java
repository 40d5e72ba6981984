package dev.nudge.backtest;

import com.fasterxml.jackson.databind.JsonNode;
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
