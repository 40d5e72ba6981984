package dev.nudge.live;

import dev.nudge.kafka.Headers;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Event to decision latency, as the live page reads it off a decision record. */
class LiveFeedTest {

    @Test
    void theDecisionsTimeLessItsCauseTime() {
        assertEquals(250L, LiveFeed.latency(decision(10_250, "10000")));
        assertEquals(0L, LiveFeed.latency(decision(10_000, "10000")));
    }

    @Test
    void nothingToShowWithoutACauseTimeBeforeTheDecision() {
        assertNull(LiveFeed.latency(decision(10_000, null)), "no header");
        assertNull(LiveFeed.latency(decision(10_000, "20000")), "an event stamped ahead of the wall clock");
        assertNull(LiveFeed.latency(decision(10_000, "soon")), "not a number");
    }

    private static ConsumerRecord<String, byte[]> decision(long timestamp, String cause) {
        RecordHeaders headers = new RecordHeaders();
        if (cause != null) {
            headers.add(Headers.CAUSE_TIME, cause.getBytes(StandardCharsets.UTF_8));
        }
        return new ConsumerRecord<>("decisions", 0, 0, timestamp, TimestampType.CREATE_TIME, 0, 0, "ana", new byte[0],
                headers, Optional.empty());
    }
}
