package dev.nudge.live;

import dev.nudge.decision.Conversion;
import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionKind;
import dev.nudge.send.LedgerEntry;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The live page's funnel counts each decision once per stage, whatever records tell of it and how often. */
class LiveFunnelTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final String CART = "cart-abandonment";
    private static final String BROWSE = "browse-abandonment";

    private final LiveFunnel funnel = new LiveFunnel();

    @Test
    void countsEachDecisionOncePerStage() {
        // Given the records a day of two campaigns leaves on the topics, in the order they are read
        funnel.decision(d("a", DecisionKind.MAIL, null, CART), 40L);              // a: mailed at once
        delivery("a", CART, LedgerEntry.SENDING);
        delivery("a", CART, LedgerEntry.SENT);
        delivery("a", CART, LedgerEntry.SENT);                                    //    ledger record read twice
        funnel.decision(d("b", DecisionKind.HELD, "quiet-hours", CART), null);    // b: held at night ...
        funnel.decision(d("b", DecisionKind.MAIL, null, CART), 60L);              //    ... released in the morning
        delivery("b", CART, LedgerEntry.SENT);
        funnel.decision(d("c", DecisionKind.SUPPRESSED, "unsubscribed", CART), null);
        funnel.decision(d("c", DecisionKind.SUPPRESSED, "unsubscribed", CART), null); // c: redelivered
        funnel.decision(d("d", DecisionKind.SUPPRESSED, "frequency-cap", CART), null);
        funnel.decision(d("e", DecisionKind.FALLBACK, "stale-data", CART), 20L);  // e: on the decisions topic ...
        funnel.decision(d("e", DecisionKind.FALLBACK, "stale-data", CART), null); //    ... and on the audit topic
        delivery("e", CART, LedgerEntry.NO_ADDRESS);
        funnel.decision(d("f", DecisionKind.HOLDOUT, null, CART), 30L);           // f: in the holdout
        funnel.decision(d("g", DecisionKind.MAIL, null, CART), 50L);              // g: mailed, then voided
        funnel.decision(d("g", DecisionKind.VOIDED, "purchased", CART), 10L);
        delivery("g", CART, LedgerEntry.VOID);
        funnel.decision(d("h", DecisionKind.MAIL, null, BROWSE), 70L);            // h: another campaign
        delivery("h", BROWSE, LedgerEntry.FAILED);
        funnel.conversion(Conversion.assigned("a", CART, Conversion.MAILED, "ana", "v1", T0));
        funnel.conversion(Conversion.assigned("f", CART, Conversion.HOLDOUT, "fay", "v1", T0));
        funnel.conversion(converted("a", Conversion.MAILED, "o1"));
        funnel.conversion(converted("a", Conversion.MAILED, "o2"));              // a second order of a's
        funnel.conversion(converted("f", Conversion.HOLDOUT, "o3"));

        // Then
        List<CampaignFunnel> all = funnel.snapshot();
        assertEquals(List.of(BROWSE, CART), all.stream().map(CampaignFunnel::campaign).toList(), "by name");
        CampaignFunnel cart = all.get(1);
        assertEquals(7, cart.triggered(), "a to g, each once");
        assertEquals(1, cart.held());
        assertEquals(Map.of("unsubscribed", 1L, "frequency-cap", 1L), cart.suppressed());
        assertEquals(1, cart.holdout());
        assertEquals(1, cart.voided());
        assertEquals(2, cart.mailed(), "a and b");
        assertEquals(Map.of("no-address", 1L), cart.failed());
        assertEquals(Map.of("mailed", 1L, "holdout", 1L), cart.assigned());
        assertEquals(Map.of("mailed", 1L, "holdout", 1L), cart.converted(), "decisions converted, not orders");
        // a 40, b 60, e 20, f 30, g 50 and g's voiding 10: 6 measured, median 30, the 95th percentile 60
        assertEquals(new Latency.Summary(6, 30L, 60L, 60L), cart.latency());
        CampaignFunnel browse = all.get(0);
        assertEquals(1, browse.triggered());
        assertEquals(0, browse.mailed());
        assertEquals(Map.of("failed", 1L), browse.failed());
    }

    @Test
    void aCampaignWithoutMeasuredDecisionsHasNoLatency() {
        funnel.decision(d("x", DecisionKind.SUPPRESSED, "stale-data", CART), null);
        Latency.Summary s = funnel.snapshot().get(0).latency();
        assertEquals(0, s.count());
        assertNull(s.p50Millis());
    }

    @Test
    void latencyFollowsTheMostRecentDecisions() {
        Latency l = new Latency();
        for (int i = 0; i < Latency.KEPT; i++) {
            l.add(1000);
        }
        for (int i = 0; i < Latency.KEPT; i++) {
            l.add(i < Latency.KEPT / 2 ? 10 : 20);
        }
        assertEquals(new Latency.Summary(2L * Latency.KEPT, 10L, 20L, 20L), l.summary(), "the old seconds are gone");
    }

    private void delivery(String id, String campaign, String state) {
        funnel.delivery(new LedgerEntry(id, "cust-" + id, campaign, state, 1, T0, null));
    }

    private static Conversion converted(String id, String arm, String order) {
        return Conversion.converted(id, CART, arm, "cust-" + id, "v1", T0, order, new BigDecimal("24.00"), "EUR",
                T0.plusSeconds(3600));
    }

    private static Decision d(String id, DecisionKind kind, String reason, String campaign) {
        return new Decision(id, kind, reason, "cust-" + id, campaign, "Rule", "v1", T0,
                kind == DecisionKind.HELD ? T0.plusSeconds(3600) : null, null, List.of(), Map.of(), null);
    }
}
