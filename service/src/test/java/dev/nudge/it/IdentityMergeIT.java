package dev.nudge.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.app.NudgeService;
import dev.nudge.config.NudgeConfig;
import dev.nudge.event.CartUpdated;
import dev.nudge.event.CheckoutCompleted;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.EventParser;
import dev.nudge.event.Json;
import dev.nudge.event.ParseResult;
import dev.nudge.kafka.Headers;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.Ingest;
import dev.nudge.testing.TestKafka;
import dev.nudge.testing.TestServices;
import com.icegreen.greenmail.util.GreenMailUtil;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An anonymous visitor who logs in is one customer, across partitions: the anonymous id and the user id of each test
 * are chosen to fall on different partitions, the calls go in through Segment's HTTP API, and the mail (or its
 * absence) comes out of the real send stage. Each test waits for the re-keyed records on the events topic before it
 * moves event time on, as the seconds of a real session would.
 */
@ExtendWith(BrokerExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IdentityMergeIT {

    private static final int PARTITIONS = 4;
    private static final ObjectMapper JSON = Json.mapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Instant START = Instant.now().minus(Duration.ofMinutes(45));
    private static final String PAGE_KEY = "page-write-key-0123456789";
    private static NudgeConfig config;
    private static NudgeService service;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> s = TestServices.wallClockSettings(BrokerExtension.bootstrap, PARTITIONS);
        s.put("ingest.keys.pages", PAGE_KEY);
        s.put("ingest.keys.pages.types", "PageVisited,ProductViewed");
        config = TestServices.config(s);
        service = NudgeService.start(config);
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    @Test
    @Order(1)
    void theCartBuiltAnonymouslyIsMailedOnceToTheAddressLearnedAtLogin() throws Exception {
        String anon = idOnPartition("anon-lea", 0);
        String user = idOnPartition("lea", 1);
        post("/v1/batch", """
                {"batch":[
                 {"type":"track","event":"Product Added","messageId":"a1","anonymousId":"%1$s","timestamp":"%3$s",
                  "properties":{"cart_id":"cart-lea","product_id":"kettle-1","name":"Kettle","price":49,"quantity":1}},
                 {"type":"page","messageId":"a2","anonymousId":"%1$s","timestamp":"%4$s",
                  "properties":{"url":"https://shop.example/cart"}},
                 {"type":"identify","messageId":"a3","anonymousId":"%1$s","userId":"%2$s","timestamp":"%4$s",
                  "traits":{"email":"lea@example.com","firstName":"Lea"}}]}""".formatted(anon, user, at(0), at(2)));

        List<ConsumerRecord<String, byte[]>> moved = awaitEvents(l -> keyed(l, user, CartUpdated.class) != null);
        ConsumerRecord<String, byte[]> cart = keyed(moved, user, CartUpdated.class);
        assertEquals(anon, header(cart, Headers.MERGED_FROM));
        assertEquals("a1@" + anon, event(cart).eventId());
        assertNotEquals(Utils.toPositive(Utils.murmur2(anon.getBytes(StandardCharsets.UTF_8))) % PARTITIONS,
                cart.partition(), "the cart crossed partitions");

        moveEventTimeOn(user, 40);
        await().atMost(Duration.ofSeconds(30)).until(() -> !Mails.to(mails(), "lea@example.com").isEmpty());
        MimeMessage mail = Mails.to(mails(), "lea@example.com").get(0);
        assertTrue(GreenMailUtil.getBody(mail).contains("Kettle"), "the anonymous cart's line is in Lea's mail");
        // the control customer's mail comes after every decision due before it: still one mail for Lea
        awaitControlMail(user);
        assertEquals(1, Mails.to(mails(), "lea@example.com").size());
    }

    @Test
    @Order(2)
    void aPurchaseUnderTheAnonymousIdAfterAnAliasCancelsTheCart() throws Exception {
        String anon = idOnPartition("anon-max", 2);
        String user = idOnPartition("max", 3);
        post("/v1/batch", """
                {"batch":[
                 {"type":"identify","messageId":"m0","userId":"%2$s","timestamp":"%3$s",
                  "traits":{"email":"max@example.com"}},
                 {"type":"track","event":"Product Added","messageId":"m1","anonymousId":"%1$s","timestamp":"%3$s",
                  "properties":{"cart_id":"cart-max","product_id":"lamp-2","name":"Lamp","price":30,"quantity":1}},
                 {"type":"alias","messageId":"m2","previousId":"%1$s","userId":"%2$s","timestamp":"%4$s"}]}"""
                .formatted(anon, user, at(0), at(1)));
        awaitEvents(l -> keyed(l, user, CartUpdated.class) != null);
        post("/v1/track", """
                {"type":"track","event":"Order Completed","messageId":"m3","anonymousId":"%s","timestamp":"%s",
                 "properties":{"order_id":"o-max","cart_id":"cart-max","total":30}}""".formatted(anon, at(10)));
        awaitEvents(l -> keyed(l, user, CheckoutCompleted.class) != null);

        moveEventTimeOn(user, 41);
        awaitControlMail(user);
        assertEquals(List.of(), Mails.to(mails(), "max@example.com"), "Max bought his cart: no mail");
    }

    @Test
    @Order(3)
    void afterARestartTheMergedIdsEventsStillFollowIt() throws Exception {
        String anon = idOnPartition("anon-lea", 0);
        String user = idOnPartition("lea", 1);
        service.close();
        service = NudgeService.start(config);
        post("/v1/track", """
                {"type":"track","event":"Product Viewed","messageId":"r1","anonymousId":"%s","timestamp":"%s",
                 "properties":{"product_id":"kettle-1"}}""".formatted(anon, at(42)));
        ConsumerRecord<String, byte[]> view = awaitEvents(l -> l.stream().anyMatch(r -> user.equals(r.key())
                && event(r) != null && event(r).eventId().equals("r1@" + anon))).stream()
                .filter(r -> user.equals(r.key()) && event(r) != null && event(r).eventId().equals("r1@" + anon))
                .findFirst().orElseThrow();
        assertEquals("ProductViewed", event(view).type());
    }

    @Test
    @Order(4)
    void aKeyThatMayNotMergeIdsSendsCallsNamingBothUnderTheUserIdAlone() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort()
                        + "/v1/page")).header("Authorization", Ingest.basic(PAGE_KEY))
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"messageId":"k1","anonymousId":"someone-elses-id","userId":"mallory","timestamp":"%s",
                         "properties":{"url":"https://shop.example/"}}""".formatted(at(43)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        ConsumerRecord<String, byte[]> page = awaitEvents(l -> l.stream().anyMatch(x -> "mallory".equals(x.key())))
                .stream().filter(x -> "mallory".equals(x.key())).findFirst().orElseThrow();
        assertTrue(!new String(page.value(), StandardCharsets.UTF_8).contains("someone-elses-id"),
                "the anonymous id is not passed on, so nothing of it moves to mallory");
    }

    /** Another customer's cart on {@code user}'s partition, then an event 40 minutes later that makes it due. */
    private static void moveEventTimeOn(String user, int minute) throws Exception {
        String control = control(user);
        post("/events", """
                [{"eventId":"c-%1$s","type":"CustomerProfile","customerId":"%1$s","timestamp":"%2$s",
                  "email":"%1$s@example.com"},
                 {"eventId":"c-%1$s-cart","type":"CartUpdated","customerId":"%1$s","timestamp":"%2$s","cartId":"c",
                  "items":[{"productId":"x","name":"X","price":1,"quantity":1}]}]""".formatted(control, at(3)));
        post("/events", """
                {"eventId":"c-%1$s-later","type":"PageVisited","customerId":"%1$s","timestamp":"%2$s",
                 "url":"https://shop.example/"}""".formatted(control, at(minute)));
    }

    private static void awaitControlMail(String user) {
        String control = control(user);
        await().atMost(Duration.ofSeconds(30)).until(() -> !Mails.to(mails(), control + "@example.com").isEmpty());
    }

    private static String control(String user) {
        return idOnPartition("control-" + user, partitionOf(user));
    }

    private static List<MimeMessage> mails() {
        return service.send().localSmtp().received();
    }

    /** {@code prefix-N} for the first N that Kafka's default partitioner puts on {@code partition}. */
    private static String idOnPartition(String prefix, int partition) {
        for (int i = 0; ; i++) {
            String id = prefix + "-" + i;
            if (partitionOf(id) == partition) {
                return id;
            }
        }
    }

    private static int partitionOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    private static String at(int minute) {
        return START.plus(Duration.ofMinutes(minute)).toString();
    }

    private static void post(String path, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + service.httpPort() + path)).header("Authorization", Ingest.AUTH)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() / 100 == 2, r.statusCode() + " " + r.body());
    }

    private static List<ConsumerRecord<String, byte[]>> awaitEvents(
            Predicate<List<ConsumerRecord<String, byte[]>>> until) {
        List<ConsumerRecord<String, byte[]>> read = TestKafka.readUntil(config.kafka().bootstrapServers(),
                config.kafka().topics().events(), until, Duration.ofSeconds(30));
        assertTrue(until.test(read), "not on the events topic within 30 s");
        return read;
    }

    private static ConsumerRecord<String, byte[]> keyed(List<ConsumerRecord<String, byte[]>> records, String key,
                                                        Class<? extends CustomerEvent> type) {
        return records.stream().filter(r -> key.equals(r.key()) && type.isInstance(event(r))
                && r.headers().lastHeader(Headers.MERGED_FROM) != null).findFirst().orElse(null);
    }

    private static CustomerEvent event(ConsumerRecord<String, byte[]> r) {
        return new EventParser(JSON).parse(r.value()) instanceof ParseResult.Parsed p ? p.event() : null;
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
