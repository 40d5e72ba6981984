package dev.nudge.demo;

import dev.nudge.event.Json;
import dev.nudge.kafka.TopicAdmin;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.TestKafka;
import dev.nudge.testing.TestServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A new demo run carries on from what the earlier ones left: after their newest event, not at the wall clock behind
 * it, with shoppers of its own, and it can say how many carts are open and how many mails went out.
 */
@ExtendWith(BrokerExtension.class)
class ResumePointIT {

    @Test
    void theNewestEventTimeTheRunNumberTheOpenCartsAndTheMailsSent() throws Exception {
        var config = TestServices.config(TestServices.settings(BrokerExtension.bootstrap, 2));
        var topics = config.kafka().topics();
        TopicAdmin.ensureTopics(BrokerExtension.bootstrap, topics);
        ResumePoint empty = ResumePoint.read(BrokerExtension.bootstrap, topics, Json.mapper());
        assertFalse(empty.resumed());
        assertEquals(1, empty.run());
        assertEquals("", empty.customerPrefix(), "the first run's shoppers are cust-…");

        String[][] events = {
                {"ana", "PageVisited", "2099-01-01T12:00:00Z", "\"url\":\"/\""},
                {"bob", "CartUpdated", "2099-01-01T15:30:00Z", "\"cartId\":\"b1\",\"items\":[{\"productId\":\"p\","
                        + "\"quantity\":1,\"price\":5}]"},
                {"ana", "CartUpdated", "2099-01-01T13:00:00Z", "\"cartId\":\"a1\",\"items\":[{\"productId\":\"p\","
                        + "\"quantity\":1,\"price\":5}]"},
                {"ana", "CheckoutCompleted", "2099-01-01T13:10:00Z", "\"cartId\":\"a1\",\"orderId\":\"o1\""},
                {"r2-cust-0001", "CartUpdated", "2099-01-01T14:00:00Z", "\"cartId\":\"c1\",\"items\":[]"}};
        for (String[] e : events) {
            TestKafka.produce(BrokerExtension.bootstrap, topics.events(), e[0], "{\"type\":\"" + e[1]
                    + "\",\"eventId\":\"" + e[0] + e[2] + "\",\"customerId\":\"" + e[0] + "\",\"timestamp\":\""
                    + e[2] + "\"," + e[3] + "}");
        }
        TestKafka.produce(BrokerExtension.bootstrap, topics.events(), "cem", "not json at all");
        // the ledger keeps each decision's last state: d1 went out, d2 is waiting, d3 went out after a retry
        TestKafka.produce(BrokerExtension.bootstrap, topics.sent(), "d1", "{\"state\":\"sent\"}");
        TestKafka.produce(BrokerExtension.bootstrap, topics.sent(), "d2", "{\"state\":\"retry\"}");
        TestKafka.produce(BrokerExtension.bootstrap, topics.sent(), "d3", "{\"state\":\"retry\"}");
        TestKafka.produce(BrokerExtension.bootstrap, topics.sent(), "d3", "{\"state\":\"sent\"}");

        ResumePoint r = ResumePoint.read(BrokerExtension.bootstrap, topics, Json.mapper());
        assertTrue(r.resumed());
        assertEquals(Instant.parse("2099-01-01T15:30:00Z").toEpochMilli(), r.newestEventTime(),
                "the newest event time, whatever the order of the records, an unreadable one skipped");
        assertEquals(3, r.run(), "a run after the one whose shoppers were r2-…");
        assertEquals("r3-", r.customerPrefix());
        assertEquals(1, r.openCarts(), "bob's cart; ana bought hers, r2-cust-0001's is empty");
        assertEquals(2, r.mailsSent());
    }
}
