package dev.nudge.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nudge.app.NudgeService;
import dev.nudge.config.NudgeConfig;
import dev.nudge.event.Json;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.Paths;
import dev.nudge.testing.TestKafka;
import dev.nudge.testing.TestServices;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Days marked for a long window (rules/examples/category-interest.drl: a category viewed on 3 days within 7) outlive
 * a restart that re-reads far fewer events than the window spans: the third day's view still mails.
 */
@ExtendWith(BrokerExtension.class)
class DayMarksRestartIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static String view(String id, String at) {
        return "{\"eventId\":\"" + id + "\",\"type\":\"ProductViewed\",\"customerId\":\"ana\",\"timestamp\":\"" + at
                + "\",\"productId\":\"shoe-" + id + "\",\"name\":\"Trail shoe\",\"price\":89,\"category\":\"running\"}";
    }

    private static String visit(String id, String at) {
        return "{\"eventId\":\"" + id + "\",\"type\":\"PageVisited\",\"customerId\":\"zoe\",\"timestamp\":\"" + at
                + "\",\"url\":\"https://shop.example/\"}";
    }

    @Test
    void theThirdDaysViewMailsAfterARestartThatReplaysNoneOfTheEarlierDays(@TempDir Path rules) throws Exception {
        for (Path f : List.of(Paths.RULES, Paths.RULES.resolve("examples"))) {
            try (var files = Files.list(f)) {
                for (Path drl : files.filter(p -> p.toString().endsWith(".drl")).toList()) {
                    Files.copy(drl, rules.resolve(drl.getFileName()));
                }
            }
        }
        // one partition, so every event below shares one event-time clock
        Map<String, String> settings = TestServices.settings(BrokerExtension.bootstrap, 1);
        settings.put("engine.rules-dir", rules.toString());
        // a replay of one hour: Monday's and Tuesday's views are not re-read, only the customers topic has their days
        settings.put("engine.replay-horizon", "1h");
        NudgeConfig config;
        try (NudgeService first = NudgeService.start(TestServices.config(settings))) {
            config = first.config();
            String bootstrap = config.kafka().bootstrapServers();
            String events = config.kafka().topics().events();
            TestKafka.produce(bootstrap, events, "ana", view("v1", "2026-03-02T10:00:00Z"));   // Monday
            TestKafka.produce(bootstrap, events, "ana", view("v2", "2026-03-03T10:00:00Z"));   // Tuesday
            // the replay restarts at the newest record read while the watermark was an hour behind the last one
            TestKafka.produce(bootstrap, events, "zoe", visit("z1", "2026-03-03T12:00:00Z"));
            TestKafka.produce(bootstrap, events, "zoe", visit("z2", "2026-03-03T13:00:00Z"));
            TestKafka.awaitCommitted(bootstrap, config.kafka().consumerGroup(), new TopicPartition(events, 0), 4);
        }
        try (NudgeService second = NudgeService.start(TestServices.config(settings))) {
            String bootstrap = config.kafka().bootstrapServers();
            TestKafka.produce(bootstrap, config.kafka().topics().events(), "ana", view("v3", "2026-03-04T10:00:00Z"));
            List<ConsumerRecord<String, byte[]>> decisions = TestKafka.readUntil(bootstrap,
                    config.kafka().topics().decisions(), l -> !l.isEmpty(), WAIT);
            assertEquals(1, decisions.size());
            JsonNode mail = Json.mapper().readTree(decisions.get(0).value());
            assertEquals("category-interest", mail.get("campaign").asText(), mail.toString());
            assertEquals("v3", mail.get("eventIds").get(0).asText(), mail.toString());
            // the customers topic keeps one record per marked day and one per mail re-eligibility counts
            List<String> kept = TestKafka.readUntil(bootstrap, config.kafka().topics().customers(),
                    l -> l.size() >= 4, WAIT).stream().map(ConsumerRecord::key).toList();
            assertTrue(kept.containsAll(List.of("ana/day/category-viewed/running/2026-03-02",
                    "ana/day/category-viewed/running/2026-03-03", "ana/day/category-viewed/running/2026-03-04",
                    "ana/decided/category-interest/running")), kept.toString());
        }
    }
}
