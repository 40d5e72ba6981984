package dev.nudge.report;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The campaign report as a text table for a terminal: one line per campaign and per rules version, notes below. */
public final class ReportText {

    private static final String ROW = "%-24s %-12s %8s %8s %8s %7s %7s %7s %-27s %-27s %8s %9s %-14s %-9s %s%n";

    private ReportText() {
    }

    public static String render(Report r) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Campaign report at %s: %d records of %s (%d ignored, %d conversions "
                        + "without assignment), opt-outs from %d records of %s%n", r.generatedAt(), r.records(),
                r.conversionsTopic(), r.ignored(), r.unmatched(), r.events(), r.eventsTopic()));
        out.append(String.format(Locale.ROOT, "Conversion windows judged at %s: %s%n%n", r.asOf(),
                r.closedWindowsOnly() ? "only decisions whose window has closed (open: left out)"
                        : "decisions whose window is open (open) count with what converted so far; --closed leaves "
                        + "them out"));
        if (r.campaigns().isEmpty()) {
            return out.append("No assignments yet: the conversions topic holds no decision.\n").toString();
        }
        out.append(String.format(Locale.ROOT, ROW, "campaign", "rules", "assigned", "mailed", "holdout", "open",
                "conv%M", "conv%H", "lift (pp, 95% CI)", "relative lift (95% CI)", "p", "+orders", "+revenue", "SRM",
                "sample / guardrails per 1000 mailed"));
        for (CampaignReport c : r.campaigns()) {
            out.append(String.format(Locale.ROOT, ROW, c.campaign(), c.rulesVersion() == null ? "all"
                            : shorten(c.rulesVersion()), c.mailed().assigned() + c.holdout().assigned(),
                    c.mailed().assigned(), c.holdout().assigned(), c.open(), percent(c.rateMailed()),
                    percent(c.rateHoldout()), interval(c.absoluteLift()), interval(c.relativeLift()),
                    c.pValue() == null ? "-" : String.format(Locale.ROOT, "%.3g", c.pValue()),
                    c.incrementalOrders() == null ? "-" : String.format(Locale.ROOT, "%.1f", c.incrementalOrders()),
                    revenue(c.incrementalRevenue()), srm(c.sampleRatio()), sample(c)));
        }
        out.append("\nconv%: conversions per decision assigned (intent to treat). Lift: mailed minus holdout, in "
                + "percentage points, Newcombe 95% interval; relative lift: Katz log interval.\n"
                + "SRM: the arms' sizes against the configured holdout share (MISMATCH when p < 0.001: trust no "
                + "lift of that campaign). too-few: under " + CampaignReport.MIN_PER_ARM + " decisions in an arm or "
                + CampaignReport.MIN_CONVERSIONS + " conversions in all.\n");
        if (!r.variantComparisons().isEmpty()) {
            out.append("\nVariants against their baseline (95% intervals):\n");
            for (VariantComparison v : r.variantComparisons()) {
                out.append(String.format(Locale.ROOT, "%-24s %s against %s: lift %s pp, orders caused %s%n",
                        v.campaign(), v.variant(), v.baseline(), interval(v.liftDifference()),
                        orders(v.incrementalOrdersDifference())));
            }
            out.append("The variants split the customers evenly: \"orders caused\" compares them as policies (the carts "
                    + "a slower variant never decided, bought before its delay, included); \"lift\" compares a mail "
                    + "per decision each made.\n");
        }
        return out.toString();
    }

    private static String shorten(String version) {
        return version.length() > 12 ? version.substring(0, 12) : version;
    }

    private static String percent(Double rate) {
        return rate == null ? "-" : String.format(Locale.ROOT, "%.2f", rate * 100);
    }

    private static String interval(Interval i) {
        return i == null ? "-" : String.format(Locale.ROOT, "%+.2f [%+.2f, %+.2f]", i.estimate() * 100,
                i.low() * 100, i.high() * 100);
    }

    private static String orders(Interval i) {
        return String.format(Locale.ROOT, "%+.1f [%+.1f, %+.1f]", i.estimate(), i.low(), i.high());
    }

    private static String revenue(Map<String, BigDecimal> byCurrency) {
        return byCurrency.isEmpty() ? "-" : byCurrency.entrySet().stream()
                .map(e -> e.getValue().toPlainString() + " " + e.getKey()).collect(Collectors.joining(", "));
    }

    private static String srm(SampleRatio s) {
        return s == null ? "-" : (s.mismatch() ? "MISMATCH" : "ok") + String.format(Locale.ROOT, " %.2g", s.pValue());
    }

    private static String sample(CampaignReport c) {
        String sample = c.sample().name().toLowerCase(Locale.ROOT).replace('_', '-');
        Guardrails g = c.guardrails();
        if (c.rulesVersion() != null || g.unsubscribesPer1000() == null) {
            return sample;
        }
        return String.format(Locale.ROOT, "%s / unsub %.1f, spam %.1f, bounce %.1f", sample, g.unsubscribesPer1000(),
                g.spamComplaintsPer1000(), g.hardBouncesPer1000());
    }
}
