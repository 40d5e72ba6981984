package dev.nudge.pipeline;

import dev.nudge.config.Topics;
import dev.nudge.engine.PartitionEngine;
import dev.nudge.engine.RuleCompiler;
import dev.nudge.engine.RuleSet;
import dev.nudge.event.CustomerProfile;
import dev.nudge.event.EventParser;
import dev.nudge.event.Json;
import dev.nudge.event.ParseResult;
import dev.nudge.metrics.Metrics;
import dev.nudge.testing.Paths;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One record's failure is that record's dead letter: the records around it are handled as ever. */
class RecordProcessorTest {

    private static final Topics TOPICS = new Topics("events", "decisions", "dead", "audit", "customers", "sent",
            "send-dead", "conversions", 1);
    private static RuleSet rules;

    @BeforeAll
    static void compile() throws Exception {
        rules = new RuleCompiler(Clock.systemUTC()).compile(Paths.RULES).rules();
    }

    private static ConsumerRecord<String, byte[]> record(long offset, String json) {
        return new ConsumerRecord<>("events", 0, offset, "ana", json.getBytes(StandardCharsets.UTF_8));
    }

    private static String visit(String id, String at) {
        return "{\"eventId\":\"" + id + "\",\"type\":\"PageVisited\",\"customerId\":\"ana\",\"timestamp\":\"" + at
                + "\",\"url\":\"/\"}";
    }

    private static PartitionState state(PartitionEngine engine) {
        return new PartitionState(engine, new Checkpoint(Duration.ofHours(74).toMillis(), 0), -1, Long.MIN_VALUE);
    }

    @Test
    void aTimestampBeyondEpochMillisecondsIsItsRecordsDeadLetterAndTheBatchGoesOn() {
        RecordProcessor p = new RecordProcessor(TOPICS, Json.mapper(), new Metrics());
        Outbox out = new Outbox();
        PartitionState s = state(new PartitionEngine(rules, Duration.ofMinutes(1), Duration.ofHours(24)));
        p.process(record(0, visit("v1", "2026-03-02T10:00:00Z")), s, out);
        p.process(record(1, visit("v2", "+999999999-12-31T23:59:59Z")), s, out);
        p.process(record(2, visit("v3", "2026-03-02T10:01:00Z")), s, out);

        List<ProducerRecord<String, byte[]>> dead = out.records.stream().map(Outbox.Pending::record)
                .filter(r -> r.topic().equals("dead")).toList();
        assertEquals(1, dead.size());
        assertEquals("events-0@1", header(dead.get(0), "nudge-source"));
        assertEquals(s.engine.maxEventTime(), java.time.Instant.parse("2026-03-02T10:01:00Z").toEpochMilli(),
                "the record after it was used");
    }

    @Test
    void anEngineThatFailsOnARecordGivesThatRecordADeadLetterWithTheError() {
        RecordProcessor p = new RecordProcessor(TOPICS, Json.mapper(), new Metrics());
        Outbox out = new Outbox();
        // a session that was closed under the engine's feet: a fault of Nudge's, not of the event, which surfaces
        // outside the rules' own error handling (where a profile is kept for the customers topic)
        PartitionEngine broken = new PartitionEngine(rules, Duration.ofMinutes(1), Duration.ofHours(24));
        broken.close();
        p.process(record(0, "{\"eventId\":\"p1\",\"type\":\"CustomerProfile\",\"customerId\":\"ana\","
                + "\"timestamp\":\"2026-03-02T10:00:00Z\",\"email\":\"ana@example.com\"}"), state(broken), out);

        assertEquals(1, out.records.size(), "the record is kept, not lost");
        ProducerRecord<String, byte[]> dead = out.records.get(0).record();
        assertEquals("dead", dead.topic());
        assertEquals("failed", header(dead, "nudge-refusal"));
        assertTrue(header(dead, "nudge-error").contains("previously disposed"), header(dead, "nudge-error"));
    }

    private static String header(ProducerRecord<String, byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void aCallNamingBothIdsAnnouncesTheMergeOnceAndTheMergedIdsEventsFollowIt() {
        RecordProcessor p = new RecordProcessor(TOPICS, Json.mapper(), new Metrics());
        Outbox out = new Outbox();
        PartitionState s = state(new PartitionEngine(rules, Duration.ofMinutes(1), Duration.ofHours(24)));
        String call = "{\"type\":\"page\",\"messageId\":\"%s\",\"userId\":\"ana\",\"anonymousId\":\"anon-1\","
                + "\"timestamp\":\"2026-03-02T10:0%s:00Z\",\"properties\":{\"url\":\"/\"}}";
        p.process(record(0, call.formatted("s1", "0")), s, out);
        p.process(record(1, call.formatted("s2", "1")), s, out);
        List<ProducerRecord<String, byte[]>> events = topic(out, "events");
        assertEquals(1, events.size(), "announced once, not on every call that names both ids");
        assertEquals("anon-1", events.get(0).key());
        assertTrue(new String(events.get(0).value(), StandardCharsets.UTF_8).contains("\"mergedInto\":\"ana\""));

        // the announcement reaches anon-1's partition (here the same one): kept for good, and anon-1's next event follows
        p.process(new ConsumerRecord<>("events", 0, 2, "anon-1", events.get(0).value()), s, out);
        assertEquals("anon-1/merged", topic(out, "customers").get(0).key());
        p.process(new ConsumerRecord<>("events", 0, 3, "anon-1", visit("v9", "2026-03-02T10:02:00Z")
                .replace("\"ana\"", "\"anon-1\"").getBytes(StandardCharsets.UTF_8)), s, out);
        ProducerRecord<String, byte[]> followed = topic(out, "events").get(1);
        assertEquals("ana", followed.key());
        assertTrue(new String(followed.value(), StandardCharsets.UTF_8).contains("\"eventId\":\"v9@anon-1\""));
        assertEquals("anon-1", header(followed, "nudge-merged-from"));
        assertEquals("1", header(followed, "nudge-merge-hops"));
    }

    @Test
    void anEventCaughtInALoopOfMergesBecomesADeadLetter() {
        RecordProcessor p = new RecordProcessor(TOPICS, Json.mapper(), new Metrics());
        PartitionState s = state(new PartitionEngine(rules, Duration.ofMinutes(1), Duration.ofHours(24)));
        String merge = "{\"eventId\":\"%s\",\"type\":\"CustomerMerged\",\"customerId\":\"%s\","
                + "\"mergedInto\":\"%s\",\"timestamp\":\"2026-03-02T10:00:00Z\"}";
        Outbox setup = new Outbox();
        p.process(record(0, merge.formatted("m1", "ana", "bob")), s, setup);
        p.process(record(1, merge.formatted("m2", "bob", "ana")), s, setup);
        // ana's event goes to bob, bob's to ana, and so on: each time through Kafka, one hop more
        ConsumerRecord<String, byte[]> rec = record(2, visit("v1", "2026-03-02T10:01:00Z"));
        for (int hop = 1; hop <= RecordProcessor.MAX_HOPS + 1; hop++) {
            Outbox out = new Outbox();
            p.process(rec, s, out);
            ProducerRecord<String, byte[]> next = out.records.get(0).record();
            if (hop > RecordProcessor.MAX_HOPS) {
                assertEquals("dead", next.topic());
                assertTrue(header(next, "nudge-error").contains("loop of merges"), header(next, "nudge-error"));
                return;
            }
            assertEquals("events", next.topic());
            ConsumerRecord<String, byte[]> again = new ConsumerRecord<>("events", 0, 2 + hop, next.key(), next.value());
            next.headers().forEach(h -> again.headers().add(h));
            rec = again;
        }
    }

    @Test
    void anAddressLearnedAtACheckoutIsKeptAsTheCustomersProfile() {
        RecordProcessor p = new RecordProcessor(TOPICS, Json.mapper(), new Metrics());
        Outbox out = new Outbox();
        PartitionState s = state(new PartitionEngine(rules, Duration.ofMinutes(1), Duration.ofHours(24)));
        p.process(record(0, "{\"eventId\":\"o1\",\"type\":\"CheckoutCompleted\",\"customerId\":\"ana\","
                + "\"timestamp\":\"2026-03-02T10:00:00Z\",\"orderId\":\"o-1\",\"email\":\"ana@example.com\"}"), s, out);
        ProducerRecord<String, byte[]> kept = topic(out, "customers").get(0);
        assertEquals("ana/profile", kept.key());
        var profile = (CustomerProfile) ((ParseResult.Parsed)
                new EventParser(Json.mapper()).parse(kept.value())).event();
        assertEquals("ana@example.com", profile.email());
        assertEquals("o1/address", profile.eventId());
    }

    private static List<ProducerRecord<String, byte[]>> topic(Outbox out, String topic) {
        return out.records.stream().map(Outbox.Pending::record).filter(r -> r.topic().equals(topic)).toList();
    }
}
