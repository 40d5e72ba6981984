package dev.nudge.report;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one campaign (over all its rules versions when {@code rulesVersion} is null, else under one) did against its
 * holdout, by intent to treat: every decision assigned to an arm counts, mailed or not, converted or not. Lift figures
 * are null when an arm has no decision; {@code sample} says whether they can be read at all. {@code open}: decisions
 * whose conversion window had not closed at the report's time (counted as they stand, or left out, as the report says).
 */
public record CampaignReport(String campaign, String rulesVersion, Arm mailed, Arm holdout, Sample sample,
                             Interval absoluteLift, Interval relativeLift, Double pValue, Double incrementalOrders,
                             Map<String, BigDecimal> incrementalRevenue, SampleRatio sampleRatio,
                             Guardrails guardrails, long open) {

    /** Below this many decisions in an arm a lift is reported but marked {@link Sample#TOO_FEW}. */
    public static final long MIN_PER_ARM = 100;
    /** Below this many conversions in both arms together, likewise: the normal approximations are poor there. */
    public static final long MIN_CONVERSIONS = 10;

    /** Whether the lift can be read. */
    public enum Sample {
        /** Both arms have decisions and enough of them. */
        OK,
        /**
         * Figures are given, but an arm has fewer than {@value CampaignReport#MIN_PER_ARM} decisions or the arms
         * fewer than {@value CampaignReport#MIN_CONVERSIONS} conversions: the interval is wide, its coverage rough.
         */
        TOO_FEW,
        /** No decision in the holdout arm (no holdout configured, or too small to have caught anyone): no lift. */
        NO_HOLDOUT,
        /** No decision in the mailed arm: no lift. */
        NO_MAILED,
        /** Every decision's conversion window is still open, and the report leaves those out: nothing to tell yet. */
        ALL_OPEN
    }

    /** The report of one campaign's two arms, its holdout share in percent and its opt-outs. */
    public static CampaignReport of(String campaign, String rulesVersion, Arm mailed, Arm holdout,
                                    double holdoutPercent, Guardrails.Counts optOuts) {
        SampleRatio srm = mailed.assigned() + holdout.assigned() == 0 ? null
                : SampleRatio.of(mailed.assigned(), holdout.assigned(), holdoutPercent);
        Guardrails guardrails = Guardrails.of(optOuts, mailed.assigned());
        if (holdout.assigned() == 0 || mailed.assigned() == 0) {
            return new CampaignReport(campaign, rulesVersion, mailed, holdout,
                    holdout.assigned() == 0 ? Sample.NO_HOLDOUT : Sample.NO_MAILED, null, null, null, null, Map.of(),
                    srm, guardrails, 0);
        }
        long x1 = mailed.conversions();
        long n1 = mailed.assigned();
        long x2 = holdout.conversions();
        long n2 = holdout.assigned();
        Interval absolute = Statistics.difference(x1, n1, x2, n2);
        Sample sample = n1 < MIN_PER_ARM || n2 < MIN_PER_ARM || x1 + x2 < MIN_CONVERSIONS ? Sample.TOO_FEW : Sample.OK;
        return new CampaignReport(campaign, rulesVersion, mailed, holdout, sample, absolute,
                Statistics.relative(x1, n1, x2, n2), Statistics.pValue(x1, n1, x2, n2),
                absolute.estimate() * n1, incrementalRevenue(mailed, holdout), srm, guardrails, 0);
    }

    /**
     * The same row, with {@code open} decisions whose conversion window had not closed at the report's time, of which
     * {@code openMailed} mailed ones were left out of the arms: the guardrails stay per 1,000 of all mailed decisions,
     * as the opt-outs they count are of all time.
     */
    CampaignReport withOpen(long open, Guardrails.Counts optOuts, long openMailed) {
        Sample s = mailed.assigned() + holdout.assigned() == 0 && open > 0 ? Sample.ALL_OPEN : sample;
        return new CampaignReport(campaign, rulesVersion, mailed, holdout, s, absoluteLift, relativeLift, pValue,
                incrementalOrders, incrementalRevenue, sampleRatio,
                Guardrails.of(optOuts, mailed.assigned() + openMailed), open);
    }

    /** (revenue per decision in mailed − in holdout) × decisions mailed, per currency, to the cent. */
    private static Map<String, BigDecimal> incrementalRevenue(Arm mailed, Arm holdout) {
        Map<String, BigDecimal> out = new TreeMap<>();
        java.util.Set<String> currencies = new java.util.TreeSet<>(mailed.revenue().keySet());
        currencies.addAll(holdout.revenue().keySet());
        BigDecimal n1 = BigDecimal.valueOf(mailed.assigned());
        BigDecimal n2 = BigDecimal.valueOf(holdout.assigned());
        for (String currency : currencies) {
            BigDecimal perMailed = mailed.revenue().getOrDefault(currency, BigDecimal.ZERO)
                    .divide(n1, MathContext.DECIMAL64);
            BigDecimal perHoldout = holdout.revenue().getOrDefault(currency, BigDecimal.ZERO)
                    .divide(n2, MathContext.DECIMAL64);
            out.put(currency, perMailed.subtract(perHoldout).multiply(n1).setScale(2, RoundingMode.HALF_EVEN));
        }
        return out;
    }

    /** Conversions per decision in the mailed arm, or null. */
    @JsonProperty("rateMailed")
    public Double rateMailed() {
        return mailed.rate();
    }

    /** Conversions per decision in the holdout arm, or null. */
    @JsonProperty("rateHoldout")
    public Double rateHoldout() {
        return holdout.rate();
    }
}
