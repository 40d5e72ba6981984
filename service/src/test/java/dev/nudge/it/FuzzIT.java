package dev.nudge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.app.NudgeService;
import dev.nudge.event.Json;
import dev.nudge.kafka.Headers;
import dev.nudge.kafka.KafkaProps;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.TestKafka;
import dev.nudge.testing.TestServices;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 10,000 records no parser should take (random bytes, truncated and deeply nested JSON, invalid and overlong UTF-8,
 * huge strings and carts, absurd timestamps, JSON that is not an object) among the events of 100 real shoppers: the
 * process stays up and keeps nothing of them, every bad record is dead-lettered with its reason, and the shoppers get
 * exactly the mails they should.
 */
@ExtendWith(BrokerExtension.class)
class FuzzIT {

    private static final int BAD = 10_000;
    private static final ObjectMapper JSON = Json.mapper();
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(3));
    private static final String[] ABSURD_TIMES = {"\"+999999999-12-31T23:59:59Z\"", "\"-999999999-01-01T00:00:00Z\"",
            "\"0000-01-01T00:00:00Z\"", "1e400", "\"2026-13-45T25:61:61Z\"", "\"\"", "9223372036854775807",
            "\"1969-12-31T23:59:59Z\"", "null", "\"10000-01-01T00:00:00Z\""};

    @Test
    void badRecordsAreDeadLetteredAndTheShoppersAmongThemGetTheirMails() throws Exception {
        Map<String, String> settings = TestServices.wallClockSettings(BrokerExtension.bootstrap, 2);
        settings.put("send.enabled", "false");
        try (NudgeService service = NudgeService.start(TestServices.config(settings))) {
            long heapBefore = liveHeap();
            var topics = service.config().kafka().topics();
            String bootstrap = service.config().kafka().bootstrapServers();
            Random random = new Random(11);
            Map<String, Object> props = new HashMap<>(KafkaProps.producer(bootstrap, Map.of()));
            props.put("max.request.size", "1048576");
            long badBytes = 0;
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
                int bad = 0;
                for (int shopper = 0; shopper < 100; shopper++) {
                    for (byte[] valid : shopper(shopper)) {
                        producer.send(new ProducerRecord<>(topics.events(), "s" + shopper, valid));
                    }
                    for (int i = 0; i < BAD / 100; i++, bad++) {
                        byte[] poison = poison(bad, random);
                        badBytes += poison.length;
                        producer.send(new ProducerRecord<>(topics.events(), "bad-" + bad, poison));
                    }
                }
                // later traffic on every partition: the last cart's 30 minutes pass (and the checkouts are less than
                // the hour behind that rules/guards.drl allows before it holds cart mails)
                for (int i = 0; i < 20; i++) {
                    producer.send(new ProducerRecord<>(topics.events(), "later-" + i, """
                            {"eventId":"later-%1$d","type":"PageVisited","customerId":"later-%1$d","timestamp":"%2$s",
                             "url":"https://shop.example/"}""".formatted(i, T0.plus(Duration.ofMinutes(85)))
                            .getBytes(StandardCharsets.UTF_8)));
                }
            }

            assertEveryBadRecordDeadLetteredWithItsReason(bootstrap, topics.deadLetters());

            List<ConsumerRecord<String, byte[]>> decisions = TestKafka.readUntil(bootstrap, topics.decisions(),
                    read -> mailed(read).size() >= 50, Duration.ofMinutes(1));
            Set<String> expected = new HashSet<>();
            for (int s = 0; s < 100; s += 2) {
                expected.add("s" + s);
            }
            assertEquals(expected, mailed(decisions), "the shoppers who left their carts, and only they, are mailed");

            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + service.httpPort() + "/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), "the engine still reads: " + health.body());
            long grown = liveHeap() - heapBefore;
            // measured: about 13 MB (the rules' sessions with 100 shoppers, metrics, buffers); the 100 records with
            // 900,000-character ids alone would keep 90 MB if any of them got into a session
            assertTrue(grown < 48L << 20, "nothing of the " + (badBytes >> 20) + " MB of bad records is kept: the live"
                    + " heap grew by " + (grown >> 20) + " MB");
        }
    }

    /** Reads the dead letters and lets go of them: the heap measured afterwards must not count them. */
    private static void assertEveryBadRecordDeadLetteredWithItsReason(String bootstrap, String topic) {
        List<ConsumerRecord<String, byte[]>> dead = TestKafka.readUntil(bootstrap, topic,
                read -> badKeys(read).size() >= BAD, Duration.ofMinutes(3));
        assertEquals(BAD, badKeys(dead).size(), "every bad record is dead-lettered");
        for (ConsumerRecord<String, byte[]> d : dead) {
            Header reason = d.headers().lastHeader(Headers.ERROR);
            assertTrue(reason != null && reason.value().length > 0 && reason.value().length <= 4096,
                    "a dead letter says why, briefly: " + d.key());
        }
        assertTrue(dead.stream().allMatch(d -> d.key().startsWith("bad-")), "no shopper's event is dead-lettered");
    }

    /** Even shoppers leave their carts; odd ones buy five minutes later. */
    private static List<byte[]> shopper(int n) {
        String id = "s" + n;
        Instant at = T0.plusSeconds(n * 30L);
        List<String> events = new ArrayList<>();
        events.add("""
                {"eventId":"%1$s-p","type":"CustomerProfile","customerId":"%1$s","timestamp":"%2$s",
                 "email":"%1$s@example.com","marketingConsent":true}""".formatted(id, at));
        events.add("""
                {"eventId":"%1$s-c","type":"CartUpdated","customerId":"%1$s","timestamp":"%2$s","cartId":"cart-%1$s",
                 "items":[{"productId":"mug","name":"Mug","price":9,"quantity":1}]}""".formatted(id, at.plusSeconds(10)));
        if (n % 2 == 1) {
            events.add("""
                    {"eventId":"%1$s-o","type":"CheckoutCompleted","customerId":"%1$s","timestamp":"%2$s",
                     "cartId":"cart-%1$s","orderId":"o-%1$s"}""".formatted(id, at.plus(Duration.ofMinutes(5))));
        }
        return events.stream().map(e -> e.getBytes(StandardCharsets.UTF_8)).toList();
    }

    private static byte[] poison(int n, Random random) {
        String page = """
                {"eventId":"bad-%d","type":"PageVisited","customerId":"x","timestamp":"%s","url":"https://shop.example/"}"""
                .formatted(n, T0.plusSeconds(n));
        return switch (n % 10) {
            case 0 -> bytes(1 + random.nextInt(2000), random);
            case 1 -> page.substring(0, random.nextInt(page.length() - 1)).getBytes(StandardCharsets.UTF_8);
            case 2 -> {
                int depth = n / 10 % 10 == 0 ? 100_000 : 1001 + random.nextInt(5000);
                String open = random.nextBoolean() ? "[" : "{\"a\":";
                yield (open.repeat(depth) + "1" + (open.equals("[") ? "]" : "}").repeat(depth))
                        .getBytes(StandardCharsets.UTF_8);
            }
            case 3 -> {
                // a continuation byte first: whatever follows, the sequence starts nowhere
                byte[] raw = bytes(1 + random.nextInt(8), random, 0x80);
                raw[0] = (byte) (0x80 + random.nextInt(64));
                yield withBytes(page, raw);
            }
            case 4 -> withBytes(page, List.of(new byte[]{(byte) 0xC0, (byte) 0xAF}, new byte[]{(byte) 0xE0,
                    (byte) 0x80, (byte) 0xAF}, new byte[]{(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0xAF},
                    new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80}).get(random.nextInt(4)));
            case 5 -> {
                // one in ten a 900,000-character id, the rest a 5,000-character URL
                boolean huge = n / 10 % 10 == 0;
                yield (huge ? page.replace("\"x\"", "\"" + "x".repeat(900_000) + "\"")
                        : page.replace("https://shop.example/", "https://shop.example/" + "u".repeat(5000)))
                        .getBytes(StandardCharsets.UTF_8);
            }
            case 6 -> {
                int lines = n / 10 % 10 == 0 ? 15_000 : 1001 + random.nextInt(500);
                String line = "{\"productId\":\"p\",\"quantity\":1}";
                yield """
                        {"eventId":"bad-%d","type":"CartUpdated","customerId":"x","timestamp":"%s","cartId":"c",
                         "items":[%s]}""".formatted(n, T0, String.join(",", java.util.Collections.nCopies(lines, line)))
                        .getBytes(StandardCharsets.UTF_8);
            }
            case 7 -> page.replace("\"" + T0.plusSeconds(n) + "\"", ABSURD_TIMES[n / 10 % ABSURD_TIMES.length])
                    .getBytes(StandardCharsets.UTF_8);
            case 8 -> List.of("42", "\"PageVisited\"", "[1,2,3]", "null", "true", "{}", "[]", "\"\"")
                    .get(random.nextInt(8)).getBytes(StandardCharsets.UTF_8);
            default -> List.of("", " ", "\uFEFF{\"type\":\"PageVisited\"}", "\n\n", "{\"type\":null}")
                    .get(random.nextInt(5)).getBytes(StandardCharsets.UTF_8);
        };
    }

    private static byte[] bytes(int n, Random random) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** {@code n} bytes from {@code from} upwards: continuation and lead bytes that start or end nothing. */
    private static byte[] bytes(int n, Random random, int from) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (from + random.nextInt(256 - from));
        }
        return b;
    }

    /** The page event with {@code raw} in the middle of its customer id. */
    private static byte[] withBytes(String page, byte[] raw) {
        int at = page.indexOf("\"x\"") + 1;
        byte[] head = page.substring(0, at).getBytes(StandardCharsets.UTF_8);
        byte[] tail = page.substring(at).getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + raw.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(raw, 0, out, head.length, raw.length);
        System.arraycopy(tail, 0, out, head.length + raw.length, tail.length);
        return out;
    }

    private static Set<String> badKeys(List<ConsumerRecord<String, byte[]>> read) {
        return read.stream().map(ConsumerRecord::key).filter(k -> k != null && k.startsWith("bad-"))
                .collect(Collectors.toSet());
    }

    private static Set<String> mailed(List<ConsumerRecord<String, byte[]>> decisions) {
        Set<String> out = new HashSet<>();
        for (ConsumerRecord<String, byte[]> r : decisions) {
            try {
                JsonNode d = JSON.readTree(r.value());
                if ("mail".equals(d.path("kind").asText())) {
                    out.add(d.path("customerId").asText());
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }

    /** Live heap after a full collection; the test JVM runs the default collector, which honours System.gc(). */
    private static long liveHeap() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }
}
