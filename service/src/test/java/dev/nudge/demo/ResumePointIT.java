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

/** A new demo run starts after the newest event a previous run left, not at the wall clock behind it. */
@ExtendWith(BrokerExtension.class)
class ResumePointIT {

    @Test
    void theNewestEventTimeOfTheTopicWhateverTheOrderOrAnUnreadableRecord() throws Exception {
        var config = TestServices.config(TestServices.settings(BrokerExtension.bootstrap, 2));
        TopicAdmin.ensureTopics(BrokerExtension.bootstrap, config.kafka().topics());
        String topic = config.kafka().topics().events();
        assertEquals(Long.MIN_VALUE, ResumePoint.newestEventTime(BrokerExtension.bootstrap, topic, Json.mapper()));

        for (String[] e : new String[][] {{"ana", "2099-01-01T12:00:00Z"}, {"bob", "2099-01-01T15:30:00Z"},
                {"ana", "2099-01-01T13:00:00Z"}, {"cem", "not json at all"}}) {
            TestKafka.produce(BrokerExtension.bootstrap, topic, e[0], e[1].startsWith("2099")
                    ? "{\"type\":\"PageVisited\",\"eventId\":\"" + e[1] + "\",\"customerId\":\"" + e[0]
                    + "\",\"timestamp\":\"" + e[1] + "\",\"url\":\"/\"}" : e[1]);
        }
        assertEquals(Instant.parse("2099-01-01T15:30:00Z").toEpochMilli(),
                ResumePoint.newestEventTime(BrokerExtension.bootstrap, topic, Json.mapper()));
    }
}
