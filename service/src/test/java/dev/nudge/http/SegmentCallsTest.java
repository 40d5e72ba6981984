package dev.nudge.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nudge.event.Json;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Segment HTTP API bodies become complete calls: type, context, message id and a timestamp Segment would give. */
class SegmentCallsTest {

    private static final ObjectMapper JSON = Json.mapper();
    private static final Instant RECEIVED = Instant.parse("2026-12-01T12:00:10Z");

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s.replace('\'', '"'));
    }

    @Test
    void aSingleCallTakesItsTypeFromTheRouteAndLosesTheWriteKey() throws Exception {
        ObjectNode call = SegmentCalls.of(json("{'userId':'ana','event':'Product Viewed','writeKey':'secret',"
                + "'timestamp':'2026-12-01T11:00:00Z','messageId':'m1'}"), "track", RECEIVED).get(0);
        assertEquals("track", call.get("type").asText());
        assertFalse(call.has("writeKey"), "a write key never goes to Kafka");
        assertEquals("2026-12-01T11:00:00Z", call.get("timestamp").asText(), "a timestamp given is kept");
        assertEquals("m1", call.get("messageId").asText());
    }

    @Test
    void aCallOfAnotherTypeThanItsRouteIsRefused() {
        var e = assertThrows(SegmentCalls.BadBody.class,
                () -> SegmentCalls.of(json("{'type':'identify','userId':'ana'}"), "track", RECEIVED));
        assertEquals("a track call cannot be of type 'identify'", e.getMessage());
    }

    @Test
    void theSendersClockErrorIsTakenOutOfItsOriginalTimestamp() throws Exception {
        // the phone's clock runs an hour fast: it sent at 13:00:10 by its clock, the server received at 12:00:10
        ObjectNode call = SegmentCalls.of(json("{'batch':[{'type':'track','userId':'ana','event':'Cart Viewed',"
                + "'originalTimestamp':'2026-12-01T13:00:00Z'}],'sentAt':'2026-12-01T13:00:10Z'}"), null, RECEIVED)
                .get(0);
        assertEquals("2026-12-01T12:00:00Z", call.get("timestamp").asText());
    }

    @Test
    void aCallWithNoTimeAtAllHappenedWhenItWasReceived() throws Exception {
        ObjectNode call = SegmentCalls.of(json("{'userId':'ana','properties':{'url':'https://x/'}}"), "page",
                RECEIVED).get(0);
        assertEquals(RECEIVED.toString(), call.get("timestamp").asText());
        assertTrue(call.get("messageId").asText().startsWith("nudge-"), "a message id is made up");
    }

    @Test
    void anUnreadableOriginalTimestampIsLeftForTheParserToRefuse() throws Exception {
        ObjectNode call = SegmentCalls.of(json("{'userId':'ana','originalTimestamp':'yesterday'}"), "page",
                RECEIVED).get(0);
        assertFalse(call.has("timestamp"));
    }

    @Test
    void aBatchSharesItsContextWithCallsThatHaveNone() throws Exception {
        List<ObjectNode> calls = SegmentCalls.of(json("{'batch':[{'type':'page','userId':'a'},"
                + "{'type':'page','userId':'b','context':{'timezone':'Asia/Tokyo'}}],"
                + "'context':{'timezone':'Europe/Berlin'},'writeKey':'secret'}"), null, RECEIVED);
        assertEquals("Europe/Berlin", calls.get(0).at("/context/timezone").asText());
        assertEquals("Asia/Tokyo", calls.get(1).at("/context/timezone").asText());
    }

    @Test
    void aBatchWithoutCallsOrWithSomethingElseIsRefusedWhole() {
        assertThrows(SegmentCalls.BadBody.class, () -> SegmentCalls.of(json("{'calls':[]}"), null, RECEIVED));
        assertThrows(SegmentCalls.BadBody.class, () -> SegmentCalls.of(json("{'batch':[1]}"), null, RECEIVED));
        assertThrows(SegmentCalls.BadBody.class, () -> SegmentCalls.of(json("[1]"), "track", RECEIVED));
    }
}
