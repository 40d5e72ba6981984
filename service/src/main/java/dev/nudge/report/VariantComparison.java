package dev.nudge.report;

/**
 * One variant of a campaign's experiment against its baseline (the variant named first in
 * {@code decisions.variants}): the difference of their lifts, and of the orders each caused. The variants split the
 * customers evenly, so the second figure compares them as policies, counting the carts a slower variant never decided
 * because they were bought before its delay; the first compares a mail to the decisions each variant made.
 */
public record VariantComparison(String campaign, String variant, String baseline, Interval liftDifference,
                                Interval incrementalOrdersDifference) {

    /** The comparison of two variant rows that both have a lift, or null when either has none. */
    static VariantComparison of(String campaign, String variant, CampaignReport row, String baseline,
                                CampaignReport base) {
        if (row.absoluteLift() == null || base.absoluteLift() == null) {
            return null;
        }
        return new VariantComparison(campaign, variant, baseline,
                Statistics.minus(row.absoluteLift(), base.absoluteLift()),
                Statistics.minus(scaled(row.absoluteLift(), row.mailed().assigned()),
                        scaled(base.absoluteLift(), base.mailed().assigned())));
    }

    private static Interval scaled(Interval i, long by) {
        return new Interval(i.estimate() * by, i.low() * by, i.high() * by);
    }
}
