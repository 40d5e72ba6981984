package dev.nudge.report;

import dev.nudge.decision.Conversion;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** From conversion records to the rows of the report: counts, lift, revenue, the split check and small samples. */
class CampaignReportTest {

    private static final Instant DECIDED = Instant.parse("2026-11-20T10:00:00Z");
    private static final Instant ORDERED = DECIDED.plusSeconds(3600);

    @Test
    void aThousandMailedConvertingAHundredAgainstAThousandHeldOutConvertingFifty() {
        Tally tally = new Tally();
        // mailed: 1000 decisions, 100 of them ordered for 20.00 EUR; holdout: 1000, 50 ordered for 30.00 EUR
        add(tally, "cart", "v1", Conversion.MAILED, 1000, 100, "20.00");
        add(tally, "cart", "v1", Conversion.HOLDOUT, 1000, 50, "30.00");

        CampaignReport all = tally.reports(c -> 50, Map.of()).get(0);

        assertNull(all.rulesVersion(), "the first row of a campaign is over all its rules versions");
        assertEquals(new Arm(1000, 100, Map.of("EUR", new BigDecimal("2000.00"))), all.mailed());
        assertEquals(new Arm(1000, 50, Map.of("EUR", new BigDecimal("1500.00"))), all.holdout());
        assertEquals(0.10, all.rateMailed(), 1e-12);
        assertEquals(0.05, all.rateHoldout(), 1e-12);
        assertEquals(CampaignReport.Sample.OK, all.sample());
        assertEquals(0.027052, all.absoluteLift().low(), 1e-6);
        assertEquals(0.073388, all.absoluteLift().high(), 1e-6);
        assertTrue(all.absoluteLift().aboveZero());
        assertEquals(1.0, all.relativeLift().estimate(), 1e-12);
        assertEquals(50.0, all.incrementalOrders(), 1e-9, "5 points of lift on 1000 mailed");
        // (2000/1000 - 1500/1000) x 1000
        assertEquals(Map.of("EUR", new BigDecimal("500.00")), all.incrementalRevenue());
        assertFalse(all.sampleRatio().mismatch(), "1000 against 1000 is a 50% holdout");
    }

    @Test
    void eachRulesVersionHasItsRowAfterTheCampaignsAndCampaignsComeInNameOrder() {
        Tally tally = new Tally();
        add(tally, "cart", "v2", Conversion.MAILED, 3, 1, "10.00");
        add(tally, "browse", "v1", Conversion.MAILED, 2, 0, "0");
        add(tally, "cart", "v1", Conversion.HOLDOUT, 1, 0, "0");
        add(tally, "cart", "v1", Conversion.MAILED, 4, 2, "10.00");

        List<String> rows = tally.reports(c -> 10, Map.of()).stream()
                .map(r -> r.campaign() + " " + r.rulesVersion() + " " + r.mailed().assigned() + "/"
                        + r.holdout().assigned()).toList();

        assertEquals(List.of("browse null 2/0", "browse v1 2/0", "cart null 7/1", "cart v1 4/1", "cart v2 3/0"), rows);
    }

    @Test
    void aSplitThatDoesNotFitTheConfiguredShareIsFlagged() {
        Tally tally = new Tally();
        // configured 10%, observed 5%: p = 1.4e-7
        add(tally, "cart", "v1", Conversion.MAILED, 950, 95, "10.00");
        add(tally, "cart", "v1", Conversion.HOLDOUT, 50, 4, "10.00");

        SampleRatio srm = tally.reports(c -> 10, Map.of()).get(0).sampleRatio();

        assertTrue(srm.mismatch());
        assertEquals(10.0, srm.expectedHoldoutPercent());
        assertEquals(5.0, srm.observedHoldoutPercent(), 1e-12);
        assertEquals(1.3608022911357298e-07, srm.pValue(), 1e-12);
    }

    @Test
    void smallSamplesAreSaidToBeSmallAndAnEmptyArmGivesNoLift() {
        Tally small = new Tally();
        add(small, "cart", "v1", Conversion.MAILED, 90, 9, "10.00");
        add(small, "cart", "v1", Conversion.HOLDOUT, 10, 0, "0");
        CampaignReport tooFew = small.reports(c -> 10, Map.of()).get(0);
        assertEquals(CampaignReport.Sample.TOO_FEW, tooFew.sample());
        assertTrue(tooFew.absoluteLift().low() < 0, "9/90 against 0/10 is no evidence: the interval spans zero");
        assertNull(tooFew.relativeLift(), "no ratio to a holdout that never converted");

        Tally noHoldout = new Tally();
        add(noHoldout, "cart", "v1", Conversion.MAILED, 500, 50, "10.00");
        CampaignReport none = noHoldout.reports(c -> 0, Map.of()).get(0);
        assertEquals(CampaignReport.Sample.NO_HOLDOUT, none.sample());
        assertNull(none.absoluteLift());
        assertNull(none.pValue());
        assertNull(none.incrementalOrders());
        assertFalse(none.sampleRatio().mismatch(), "no holdout was configured, and none was made");
    }

    @Test
    void aDecisionCountsOnceAndAConversionOnlyWithItsAssignment() {
        Tally tally = new Tally();
        Conversion a = Conversion.assigned("d1", "cart", Conversion.MAILED, "c1", "v1", DECIDED);
        Conversion converted = Conversion.converted("d1", "cart", Conversion.MAILED, "c1", "v1", DECIDED, "o1",
                new BigDecimal("12.50"), "EUR", ORDERED);
        tally.add(a);
        tally.add(a);
        tally.add(converted);
        tally.add(Conversion.converted("d1", "cart", Conversion.MAILED, "c1", "v1", DECIDED, "o2",
                new BigDecimal("99.00"), "EUR", ORDERED.plusSeconds(60)));
        // a conversion whose assignment is not in the topic, and records that are not what they should be
        tally.add(Conversion.converted("d9", "cart", Conversion.MAILED, "c9", "v1", DECIDED, "o9", BigDecimal.TEN,
                "EUR", ORDERED));
        tally.add(Conversion.assigned("d2", "cart", "treated", "c2", "v1", DECIDED));
        tally.add(new Conversion("opened", "d3", "cart", Conversion.MAILED, "c3", "v1", DECIDED, null, null, null,
                null, null, null, null));
        tally.unreadable();

        CampaignReport r = tally.reports(c -> 10, Map.of()).get(0);

        assertEquals(new Arm(1, 1, Map.of("EUR", new BigDecimal("12.50"))), r.mailed(),
                "the first order converts; a second record of the decision changes nothing");
        assertEquals(1, tally.unmatched());
        assertEquals(3, tally.ignored());
    }

    @Test
    void guardrailsArePerThousandMailedDecisionsOnTheCampaignsOverallRow() {
        Tally tally = new Tally();
        add(tally, "cart", "v1", Conversion.MAILED, 2000, 100, "10.00");
        add(tally, "cart", "v1", Conversion.HOLDOUT, 200, 5, "10.00");

        List<CampaignReport> rows = tally.reports(c -> 10, Map.of("cart", new Guardrails.Counts(6, 1, 2)));

        assertEquals(new Guardrails(6, 1, 2, 3.0, 0.5, 1.0), rows.get(0).guardrails());
        assertEquals(0, rows.get(1).guardrails().unsubscribes(), "opt-outs name a campaign, not a rules version");
    }

    @Test
    void eachVariantIsComparedWithTheBaselineNamedFirstInItsLiftAndInTheOrdersItCaused() {
        Tally tally = new Tally();
        // 30m: 15.0% of 1000 mailed against 4.8% of 250 held out; 2h: 11.1% of 900 against 5.0% of 240
        addVariant(tally, "30m", Conversion.MAILED, 1000, 150);
        addVariant(tally, "30m", Conversion.HOLDOUT, 250, 12);
        addVariant(tally, "2h", Conversion.MAILED, 900, 100);
        addVariant(tally, "2h", Conversion.HOLDOUT, 240, 12);

        List<VariantComparison> compared = tally.comparisons(c -> 20, c -> List.of("30m", "2h"));

        assertEquals(1, compared.size(), "one variant against one baseline: " + compared);
        VariantComparison c = compared.get(0);
        assertEquals(List.of("cart", "2h", "30m"), List.of(c.campaign(), c.variant(), c.baseline()));
        // lifts 6.11 and 10.20 points; MOVER from their Newcombe intervals (worked independently in Python)
        assertEquals(-0.0408889, c.liftDifference().estimate(), 1e-6);
        assertEquals(-0.0915933, c.liftDifference().low(), 1e-6);
        assertEquals(0.0094141, c.liftDifference().high(), 1e-6);
        // orders caused: 0.0611 x 900 = 55 against 0.102 x 1000 = 102
        assertEquals(-47.0, c.incrementalOrdersDifference().estimate(), 1e-9);
        assertEquals(-94.5989, c.incrementalOrdersDifference().low(), 1e-3);
        assertEquals(1.4927, c.incrementalOrdersDifference().high(), 1e-3);

        assertEquals("2h", tally.comparisons(c2 -> 20, c2 -> List.of()).get(0).baseline(),
                "a variant no longer configured: the first by name is the baseline");
    }

    @Test
    void aDecisionWhoseWindowIsOpenCountsAsItStandsOrIsLeftOutUntilItCloses() {
        Instant now = DECIDED.plus(java.time.Duration.ofHours(48));
        Tally soFar = new Tally().at(now, false);
        Tally closed = new Tally().at(now, true);
        for (Tally t : List.of(soFar, closed)) {
            // two decisions of 24 hours' window (closed by now), one of 72 hours' (open), one of an earlier release
            t.add(Conversion.assigned("d1", "cart", Conversion.MAILED, "c1", "v1", DECIDED).withWindowSeconds(86_400L));
            t.add(Conversion.assigned("d2", "cart", Conversion.HOLDOUT, "c2", "v1", DECIDED).withWindowSeconds(86_400L));
            t.add(Conversion.assigned("d3", "cart", Conversion.MAILED, "c3", "v1", DECIDED).withWindowSeconds(259_200L));
            t.add(Conversion.converted("d3", "cart", Conversion.MAILED, "c3", "v1", DECIDED, "o3", BigDecimal.TEN,
                    "EUR", ORDERED));
            t.add(Conversion.assigned("d4", "cart", Conversion.MAILED, "c4", "v0", DECIDED));
        }

        CampaignReport all = soFar.reports(c -> 10, Map.of()).get(0);
        assertEquals(3, all.mailed().assigned(), "an open decision counts with what converted so far");
        assertEquals(1, all.mailed().conversions());
        assertEquals(1, all.open());
        CampaignReport done = closed.reports(c -> 10, Map.of()).get(0);
        assertEquals(2, done.mailed().assigned(), "left out until its window closes");
        assertEquals(0, done.mailed().conversions(), "and its conversion with it");
        assertEquals(1, done.holdout().assigned());
        assertEquals(1, done.open());
        CampaignReport doneWithOptOuts = closed.reports(c -> 10, Map.of("cart", new Guardrails.Counts(3, 0, 0))).get(0);
        assertEquals(1000.0, doneWithOptOuts.guardrails().unsubscribesPer1000(), 1e-9,
                "3 opt-outs of all time over the 3 mails of all time, the open one included");
        assertEquals(now, closed.asOf());
        Tally young = new Tally().at(DECIDED, true);
        young.add(Conversion.assigned("d6", "cart", Conversion.MAILED, "c6", "v1", DECIDED).withWindowSeconds(60L));
        assertEquals(CampaignReport.Sample.ALL_OPEN, young.reports(c -> 10, Map.of()).get(0).sample(),
                "nothing to tell yet, rather than a missing holdout");

        Tally ahead = new Tally().at(DECIDED.minusSeconds(3600), true);
        ahead.add(Conversion.converted("d5", "cart", Conversion.MAILED, "c5", "v1", DECIDED, "o5", BigDecimal.TEN,
                "EUR", DECIDED.plus(java.time.Duration.ofDays(5))));
        assertEquals(DECIDED.plus(java.time.Duration.ofDays(5)), ahead.asOf(),
                "records ahead of the clock (the demo's shoppers) move the report's time");
    }

    private static void addVariant(Tally tally, String variant, String arm, int n, int converted) {
        for (int i = 0; i < n; i++) {
            String id = variant + "-" + arm + "-" + i;
            tally.add(Conversion.assigned(id, "cart", arm, id, "v1", DECIDED).withVariant(variant));
            if (i < converted) {
                tally.add(Conversion.converted(id, "cart", arm, id, "v1", DECIDED, "o-" + id, BigDecimal.TEN, "EUR",
                        ORDERED).withVariant(variant));
            }
        }
    }

    /** {@code n} decisions of one arm, the first {@code converted} of which ordered for {@code revenue} EUR each. */
    private static void add(Tally tally, String campaign, String version, String arm, int n, int converted,
                            String revenue) {
        for (int i = 0; i < n; i++) {
            String id = campaign + "-" + version + "-" + arm + "-" + i;
            tally.add(Conversion.assigned(id, campaign, arm, "c" + i, version, DECIDED));
            if (i < converted) {
                tally.add(Conversion.converted(id, campaign, arm, "c" + i, version, DECIDED, "o-" + id,
                        new BigDecimal(revenue), "EUR", ORDERED));
            }
        }
    }
}
