package dev.nudge.explain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.event.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The decision log answers per customer, newest first, and stays within its bounds. */
class DecisionLogTest {

    private static final ObjectMapper JSON = Json.mapper();

    private static JsonNode decision(String customer, String id, String at, String extra) throws Exception {
        return JSON.readTree("{\"decisionId\":\"" + id + "\",\"customerId\":\"" + customer + "\",\"decidedAt\":\"" + at
                + "\",\"campaign\":\"cart-abandonment\"" + extra + "}");
    }

    @Test
    void outcomesNewestFirstAndAHoldoutOnBothTopicsOnce() throws Exception {
        DecisionLog log = new DecisionLog(10, 10);
        log.add(decision("ana", "d1", "2026-03-02T10:30:00Z", ",\"held\":\"quiet-hours\""), true, 0);
        log.add(decision("ana", "d1", "2026-03-02T23:00:00Z", ",\"releasedFrom\":\"quiet-hours\""), false, 0);
        log.add(decision("ana", "d2", "2026-03-03T10:00:00Z", ",\"suppressed\":\"frequency-cap\""), true, 0);
        log.add(decision("ana", "d3", "2026-03-04T10:00:00Z", ",\"holdout\":true"), false, 0);
        log.add(decision("ana", "d3", "2026-03-04T10:00:00Z", ",\"holdout\":true"), true, 0);

        var entries = log.of("ana");
        assertEquals(4, entries.size(), entries.toString());
        assertEquals("holdout", entries.get(0).get("outcome").asText());
        assertEquals("suppressed", entries.get(1).get("outcome").asText());
        assertEquals("sent", entries.get(2).get("outcome").asText());
        assertEquals("held", entries.get(3).get("outcome").asText());
        assertEquals(0, log.of("bob").size());
    }

    @Test
    void keepsTheNewestEntriesOfTheMostRecentlyDecidedCustomers() throws Exception {
        DecisionLog log = new DecisionLog(2, 3);
        for (int i = 0; i < 5; i++) {
            log.add(decision("ana", "a" + i, "2026-03-02T10:0" + i + ":00Z", ""), false, 0);
        }
        assertEquals(3, log.of("ana").size());
        assertEquals("a4", log.of("ana").get(0).get("decisionId").asText());
        log.add(decision("bob", "b1", "2026-03-02T10:00:00Z", ""), false, 0);
        log.add(decision("cem", "c1", "2026-03-02T10:00:00Z", ""), false, 0);
        assertEquals(2, log.customers());
        assertEquals(0, log.of("ana").size(), "the customer decided about longest ago is forgotten first");
    }

    @Test
    void whatTheSendStageDidShowsOnTheDecisionWhicheverWasReadFirst() throws Exception {
        DecisionLog log = new DecisionLog(10, 10);
        log.delivery(JSON.readTree("{\"decisionId\":\"d1\",\"customerId\":\"ana\",\"state\":\"sending\",\"at\":\"t1\"}"));
        log.delivery(JSON.readTree("{\"decisionId\":\"d1\",\"customerId\":\"ana\",\"state\":\"failed\",\"at\":\"t2\","
                + "\"detail\":\"550 5.1.1 mailbox unavailable\"}"));
        log.add(decision("ana", "d1", "2026-03-02T10:30:00Z", ""), false, 0);
        log.add(decision("ana", "d2", "2026-03-02T11:30:00Z", ",\"suppressed\":\"frequency-cap\""), true, 0);
        log.add(decision("ana", "d3", "2026-03-02T12:30:00Z", ""), false, 0);
        log.delivery(JSON.readTree("{\"decisionId\":\"d3\",\"customerId\":\"ana\",\"state\":\"sent\",\"at\":\"t3\"}"));

        var entries = log.of("ana");
        assertEquals("sent", entries.get(0).at("/delivery/state").asText());
        assertEquals(false, entries.get(1).has("delivery"), "a suppressed decision was never with the send stage");
        assertEquals("failed", entries.get(2).at("/delivery/state").asText(), "the newest state counts");
        assertEquals("550 5.1.1 mailbox unavailable", entries.get(2).at("/delivery/detail").asText());
    }
}
