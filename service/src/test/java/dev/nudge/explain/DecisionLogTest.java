package dev.nudge.explain;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionJson;
import dev.nudge.decision.DecisionKind;
import dev.nudge.event.Json;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The decision log answers per customer, newest first, and stays within its bounds. */
class DecisionLogTest {

    private static final ObjectMapper JSON = Json.mapper();
    private static final DecisionJson DECISIONS = new DecisionJson(JSON);

    private static Decision decision(String customer, String id, String at, DecisionKind kind, String reason) {
        return new Decision(id, kind, reason, customer, "cart-abandonment", "CartAbandonedAfter30Minutes", "v1",
                Instant.parse(at), kind == DecisionKind.HELD ? Instant.parse(at).plusSeconds(3600) : null, null,
                List.of("e1"), Map.of(), null);
    }

    private static Decision mail(String customer, String id, String at) {
        return decision(customer, id, at, DecisionKind.MAIL, null);
    }

    @Test
    void outcomesNewestFirstAndAHoldoutOnBothTopicsOnce() {
        DecisionLog log = new DecisionLog(10, 10, DECISIONS);
        log.add(decision("ana", "d1", "2026-03-02T10:30:00Z", DecisionKind.HELD, "quiet-hours"), true, 0);
        log.add(mail("ana", "d1", "2026-03-02T23:00:00Z"), false, 0);
        log.add(decision("ana", "d2", "2026-03-03T10:00:00Z", DecisionKind.SUPPRESSED, "frequency-cap"), true, 0);
        log.add(decision("ana", "d3", "2026-03-04T10:00:00Z", DecisionKind.HOLDOUT, null), false, 0);
        log.add(decision("ana", "d3", "2026-03-04T10:00:00Z", DecisionKind.HOLDOUT, null), true, 0);

        var entries = log.of("ana");
        assertEquals(4, entries.size(), entries.toString());
        assertEquals("not mailed: holdout", entries.get(0).get("outcome").asText());
        assertEquals("not mailed: frequency-cap", entries.get(1).get("outcome").asText());
        assertEquals("to be mailed", entries.get(2).get("outcome").asText(), "the send stage has not reported yet");
        assertEquals("held: quiet-hours", entries.get(3).get("outcome").asText());
        assertEquals("held", entries.get(3).get("kind").asText());
        assertEquals(0, log.of("bob").size());
    }

    @Test
    void keepsTheNewestEntriesOfTheMostRecentlyDecidedCustomers() {
        DecisionLog log = new DecisionLog(2, 3, DECISIONS);
        for (int i = 0; i < 5; i++) {
            log.add(mail("ana", "a" + i, "2026-03-02T10:0" + i + ":00Z"), false, 0);
        }
        assertEquals(3, log.of("ana").size());
        assertEquals("a4", log.of("ana").get(0).get("decisionId").asText());
        log.add(mail("bob", "b1", "2026-03-02T10:00:00Z"), false, 0);
        log.add(mail("cem", "c1", "2026-03-02T10:00:00Z"), false, 0);
        assertEquals(2, log.customers());
        assertEquals(0, log.of("ana").size(), "the customer decided about longest ago is forgotten first");
    }

    @Test
    void aKeptDecisionIsFoundByItsIdTheMailBeforeItsHoldAndNoneOnceForgotten() {
        DecisionLog log = new DecisionLog(2, 3, DECISIONS);
        log.add(decision("ana", "d1", "2026-03-02T10:30:00Z", DecisionKind.HELD, "quiet-hours"), true, 0);
        log.add(mail("ana", "d1", "2026-03-02T23:00:00Z"), false, 0);
        log.add(decision("ana", "d1", "2026-03-03T09:00:00Z", DecisionKind.VOIDED, "checkout"), false, 0);

        assertEquals(DecisionKind.MAIL, log.find("d1").orElseThrow().kind(), "the mail, not its hold or revocation");
        assertEquals("ana", log.find("d1").orElseThrow().customerId());
        assertTrue(log.find("nope").isEmpty());

        // three newer entries push d1's out: the id is forgotten with them
        for (int i = 2; i <= 4; i++) {
            log.add(mail("ana", "d" + i, "2026-03-04T10:0" + i + ":00Z"), false, 0);
        }
        assertTrue(log.find("d1").isEmpty());
        assertEquals("d4", log.find("d4").orElseThrow().decisionId());
        // two newer customers push ana out
        log.add(mail("bob", "b1", "2026-03-05T10:00:00Z"), false, 0);
        log.add(mail("cem", "c1", "2026-03-05T10:00:00Z"), false, 0);
        assertTrue(log.find("d4").isEmpty());
        assertEquals("bob", log.find("b1").orElseThrow().customerId());
    }

    @Test
    void whatTheSendStageDidShowsOnTheDecisionWhicheverWasReadFirst() throws Exception {
        DecisionLog log = new DecisionLog(10, 10, DECISIONS);
        log.delivery(JSON.readTree("{\"decisionId\":\"d1\",\"customerId\":\"ana\",\"state\":\"sending\",\"at\":\"t1\"}"));
        log.delivery(JSON.readTree("{\"decisionId\":\"d1\",\"customerId\":\"ana\",\"state\":\"failed\",\"at\":\"t2\","
                + "\"detail\":\"550 5.1.1 mailbox unavailable\"}"));
        log.add(mail("ana", "d1", "2026-03-02T10:30:00Z"), false, 0);
        log.add(decision("ana", "d2", "2026-03-02T11:30:00Z", DecisionKind.SUPPRESSED, "frequency-cap"), true, 0);
        log.add(mail("ana", "d3", "2026-03-02T12:30:00Z"), false, 0);
        log.delivery(JSON.readTree("{\"decisionId\":\"d3\",\"customerId\":\"ana\",\"state\":\"sent\",\"at\":\"t3\"}"));
        log.add(mail("ana", "d4", "2026-03-02T13:30:00Z"), false, 0);
        log.delivery(JSON.readTree("{\"decisionId\":\"d4\",\"customerId\":\"ana\",\"state\":\"no-address\","
                + "\"at\":\"t4\",\"detail\":\"no e-mail address: the customer's profile has none\"}"));

        var entries = log.of("ana");
        assertEquals("not mailed: no address", entries.get(0).get("outcome").asText(), "an anonymous visitor");
        assertEquals("mailed", entries.get(1).get("outcome").asText());
        assertEquals("sent", entries.get(1).at("/delivery/state").asText());
        assertEquals(false, entries.get(2).has("delivery"), "a suppressed decision was never with the send stage");
        assertEquals("failed", entries.get(3).at("/delivery/state").asText(), "the newest state counts");
        assertEquals("not mailed: 550 5.1.1 mailbox unavailable", entries.get(3).get("outcome").asText());
    }

    @Test
    void aDecisionWrittenBeforeDecisionsHadAKindIsReadWithItsKind() throws Exception {
        Decision held = DECISIONS.read(JSON.readTree("""
                {"decisionId":"d1","customerId":"ana","campaign":"cart-abandonment","rule":"R","decidedAt":
                 "2026-03-02T10:30:00Z","eventIds":["e1"],"payload":{},"holdout":false,"held":"quiet-hours",
                 "heldUntil":"2026-03-03T08:00:00Z","fallback":false}"""));
        assertEquals(DecisionKind.HELD, held.kind());
        assertEquals("quiet-hours", held.reason());
        Decision fallback = DECISIONS.read(JSON.readTree("""
                {"decisionId":"d2","customerId":"ana","campaign":"c","rule":"R","decidedAt":"2026-03-02T10:30:00Z",
                 "eventIds":[],"payload":{},"holdout":false,"fallbackReason":"source-quiet","fallback":true}"""));
        assertEquals(DecisionKind.FALLBACK, fallback.kind());
        assertEquals("source-quiet", fallback.reason());
    }

    @Test
    void aCustomerHeardOfIsKnownWithTheirConsentAndOneNeverHeardOfIsNot() {
        DecisionLog log = new DecisionLog(10, 10, DECISIONS);
        log.event("ana", Instant.parse("2026-03-02T10:00:05Z").toEpochMilli());
        log.event("ana", Instant.parse("2026-03-02T10:00:01Z").toEpochMilli());
        log.state(new dev.nudge.event.Unsubscribed("u1", "bob", Instant.parse("2026-03-02T09:00:00Z"), null));

        var ana = log.explain("ana").orElseThrow();
        assertEquals(2, ana.get("eventsSeen").asInt());
        assertEquals("2026-03-02T10:00:05Z", ana.get("lastEventReceivedAt").asText());
        assertEquals(0, ana.get("decisions").size(), "known, without decisions");
        assertEquals(true, ana.at("/consent/mayMail").asBoolean());
        var bob = log.explain("bob").orElseThrow();
        assertEquals(false, bob.at("/consent/mayMail").asBoolean());
        assertEquals("Unsubscribed", bob.at("/consent/signal/type").asText());
        assertEquals(true, log.explain("cem").isEmpty(), "never heard of");

        log.add(decision("ana", "d1", "2026-03-02T10:36:00Z", DecisionKind.SUPPRESSED, "unsubscribed"), true, 0);
        assertEquals("Not mailed (cart-abandonment, decided 2026-03-02 10:36 UTC): unsubscribed",
                log.explain("ana").orElseThrow().at("/decisions/0/says").asText());
    }
}
