package dev.nudge.shadow;

import dev.nudge.backtest.BacktestResult;
import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionKind;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The running difference: last record per decision id on each side, compared as a backtest compares, bounded. */
class ShadowTallyTest {

    private static final Instant T = Instant.parse("2026-03-02T10:30:00Z");

    @Test
    void eachDecisionIdCountsByItsLastRecordOnEachSide() {
        ShadowTally tally = new ShadowTally();
        // live: a mails at 10:30; b held, then mailed at 11:00; c mailed
        tally.live(List.of(mail("a", "cart", T), held("b", "cart", T), mail("c", "cart", T)));
        tally.live(List.of(mail("b", "cart", T.plusSeconds(1800))));
        // shadow: a mailed an hour later (changed); b held then mailed as live (same); c never (removed); d (added)
        tally.shadow(List.of(mail("a", "cart", T.plusSeconds(3600)), held("b", "cart", T)));
        tally.shadow(List.of(mail("b", "cart", T.plusSeconds(1800)), mail("d", "browse", T)));
        // a suppression of an id already mailed is a rule firing again: the mail stands (as in a backtest)
        tally.shadow(List.of(suppressed("d", "browse", T.plusSeconds(60))));

        ShadowTally.Comparison c = tally.compare();
        assertEquals(3, c.liveDecisions());
        assertEquals(3, c.shadowDecisions());
        assertEquals(Map.of("a", "changed", "c", "removed", "d", "added"), changes(c));
        BacktestResult.Campaign cart = c.campaigns().stream().filter(x -> x.campaign().equals("cart")).findFirst()
                .orElseThrow();
        assertEquals(3, cart.mailsBefore());
        assertEquals(2, cart.mailsAfter());
        assertEquals(List.of(0L, 1L, 1L), List.of(cart.added(), cart.removed(), cart.changed()));
    }

    @Test
    void pastItsBoundNewIdsAreLeftOutAndCountedWhileKnownIdsStillChange() {
        ShadowTally tally = new ShadowTally(2);
        tally.live(List.of(held("a", "cart", T), mail("b", "cart", T), mail("c", "cart", T)));
        // a is known: its release still counts
        tally.live(List.of(mail("a", "cart", T.plusSeconds(60))));
        ShadowTally.Comparison c = tally.compare();
        assertEquals(2, c.liveDecisions());
        assertEquals(1, c.leftOut());
        assertEquals(Map.of("a", "removed", "b", "removed"), changes(c));
        assertEquals("mail", c.differences().get(0).before().kind());
    }

    @Test
    void aDecisionTheOtherSideMadeBeforeTheStartIsLeftOutNotAdded() {
        ShadowTally tally = new ShadowTally();
        // the shadow decided a while catching up (it mails sooner); the live rules decided b before the start
        tally.decidedBeforeStart("id-a");
        tally.live(List.of(mail("a", "cart", T), mail("c", "cart", T)));
        tally.shadow(List.of(mail("b", "cart", T.plusSeconds(900))));
        tally.decidedBeforeStart("id-b");
        tally.shadow(List.of(mail("c", "cart", T)));

        ShadowTally.Comparison c = tally.compare();
        assertEquals(Map.of(), changes(c));
        assertEquals(2, c.beforeStart());
        assertEquals(1, c.liveDecisions());
        assertEquals(1, c.shadowDecisions());
    }

    @Test
    void aDecisionOnlyOneSideMadeLatelyIsWaitingUntilTheSettleTimeHasPassed() {
        ShadowTally tally = new ShadowTally();
        // live mails a at 10:30 and b at 11:20; the shadow (waiting longer) has mailed neither yet at 11:25
        tally.live(List.of(mail("a", "cart", T), mail("b", "cart", T.plusSeconds(3000))));
        tally.time(T.plusSeconds(3300).toEpochMilli());

        ShadowTally.Comparison c = tally.compare(java.time.Duration.ofHours(1));
        assertEquals(Map.of(), changes(c));
        assertEquals(List.of("a", "b"), c.waiting().stream().map(BacktestResult.Difference::customerId).toList());
        assertEquals(0, c.campaigns().get(0).removed());

        // at 12:00 a is an hour old: the shadow would have made it by now, so it counts as removed; b still waits
        tally.time(T.plusSeconds(5400).toEpochMilli());
        c = tally.compare(java.time.Duration.ofHours(1));
        assertEquals(Map.of("a", "removed"), changes(c));
        assertEquals(List.of("b"), c.waiting().stream().map(BacktestResult.Difference::customerId).toList());
        // a changed decision is never waiting: both sides have made it
        tally.shadow(List.of(mail("b", "cart", T.plusSeconds(3900))));
        assertEquals(Map.of("a", "removed", "b", "changed"), changes(tally.compare(java.time.Duration.ofHours(1))));
    }

    private static Map<String, String> changes(ShadowTally.Comparison c) {
        return c.differences().stream().collect(java.util.stream.Collectors.toMap(
                BacktestResult.Difference::customerId, BacktestResult.Difference::change));
    }

    private static Decision mail(String customer, String campaign, Instant at) {
        return decision(customer, campaign, DecisionKind.MAIL, null, at, null);
    }

    private static Decision held(String customer, String campaign, Instant at) {
        return decision(customer, campaign, DecisionKind.HELD, "quiet-hours", at, at.plusSeconds(1800));
    }

    private static Decision suppressed(String customer, String campaign, Instant at) {
        return decision(customer, campaign, DecisionKind.SUPPRESSED, "frequency-cap", at, null);
    }

    private static Decision decision(String customer, String campaign, DecisionKind kind, String reason, Instant at,
                                     Instant heldUntil) {
        return new Decision("id-" + customer, kind, reason, customer, campaign, "Rule", "v@1", at, heldUntil, null,
                List.of("e-" + customer), Map.of("big", "payload"), null);
    }
}
