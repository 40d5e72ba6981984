package dev.nudge.report;

import dev.nudge.decision.Conversion;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Gathers the records of the conversions topic into campaign reports: each decision counted once by its id (a record
 * written twice counts once), a conversion only for a decision whose assignment was read (intent to treat: the
 * assignments are the denominators), per campaign over all rules versions and per campaign and rules version. A
 * decision whose conversion window is still open at the report's time is counted as it stands (what converted so far)
 * and in {@code open}, or, with {@link #closedWindowsOnly}, left out until its window closes.
 */
public final class Tally {

    private final Map<String, Conversion> assigned = new LinkedHashMap<>();
    private final Map<String, Conversion> converted = new HashMap<>();
    private long ignored;
    private Instant wallNow = Instant.EPOCH;
    private Instant newest = Instant.EPOCH;
    private boolean closedOnly;

    /**
     * The report is made at {@code wallNow}, or at the newest time of a record read when that is later (the demo's
     * shoppers live ahead of the clock); {@code closedOnly} leaves out decisions whose window is open then.
     */
    public Tally at(Instant wallNow, boolean closedOnly) {
        this.wallNow = wallNow;
        this.closedOnly = closedOnly;
        return this;
    }

    /** The time the report judges conversion windows at. */
    public Instant asOf() {
        return newest.isAfter(wallNow) ? newest : wallNow;
    }

    /** Whether decisions whose conversion window is open are left out. */
    public boolean closedWindowsOnly() {
        return closedOnly;
    }

    /** Counts one record; one that is not a valid assignment or conversion is counted in {@link #ignored()}. */
    public void add(Conversion c) {
        if (c == null || c.decisionId() == null || c.campaign() == null
                || !(Conversion.MAILED.equals(c.arm()) || Conversion.HOLDOUT.equals(c.arm()))) {
            ignored++;
        } else if (Conversion.ASSIGNED.equals(c.kind())) {
            assigned.putIfAbsent(c.decisionId(), c);
            newer(c.decidedAt());
        } else if (Conversion.CONVERTED.equals(c.kind())) {
            newer(c.convertedAt());
            // an order without a total or a currency still converts; its revenue is left out of the sums
            converted.putIfAbsent(c.decisionId(), c);
        } else {
            ignored++;
        }
    }

    private void newer(Instant t) {
        if (t != null && t.isAfter(newest)) {
            newest = t;
        }
    }

    /** A record that could not be read at all (not JSON, not a conversion). */
    public void unreadable() {
        ignored++;
    }

    /** Records that were neither a valid assignment nor a valid conversion. */
    public long ignored() {
        return ignored;
    }

    /** Conversions of decisions whose assignment is not in the topic (expired, or written by a faulty producer). */
    public long unmatched() {
        return converted.keySet().stream().filter(id -> !assigned.containsKey(id)).count();
    }

    /**
     * The reports, campaigns in name order, each campaign's overall row first (rules version null), then one row per
     * rules version in order; {@code holdoutPercent} is each campaign's configured share, {@code optOuts} its
     * unsubscribes and complaints (missing: none).
     */
    public List<CampaignReport> reports(ToDoubleFunction<String> holdoutPercent, Map<String, Guardrails.Counts> optOuts) {
        Map<String, Map<String, Builder>> byCampaign = new TreeMap<>();
        Instant asOf = asOf();
        for (Conversion a : assigned.values()) {
            Map<String, Builder> versions = byCampaign.computeIfAbsent(a.campaign(), k -> new TreeMap<>());
            Conversion c = converted.get(a.decisionId());
            boolean open = !a.windowClosedAt(asOf);
            versions.computeIfAbsent("", k -> new Builder(a.campaign())).add(a, c, open, closedOnly);
            versions.computeIfAbsent(a.rulesVersion() == null ? "unknown" : a.rulesVersion(),
                    k -> new Builder(a.campaign())).add(a, c, open, closedOnly);
            if (a.variant() != null) {
                // a variant of the campaign's experiment: its own row, its mailed against its own held-out customers
                byCampaign.computeIfAbsent(variantRow(a.campaign(), a.variant()), k -> new TreeMap<>())
                        .computeIfAbsent("", k -> new Builder(a.campaign())).add(a, c, open, closedOnly);
            }
        }
        List<CampaignReport> out = new ArrayList<>();
        byCampaign.forEach((campaign, versions) -> versions.forEach((version, b) -> {
            // the per-version rows carry no opt-outs: the events name the campaign, not the rules version
            Guardrails.Counts counts = version.isEmpty() ? optOuts.getOrDefault(campaign, Guardrails.Counts.NONE)
                    : Guardrails.Counts.NONE;
            out.add(CampaignReport.of(campaign, version.isEmpty() ? null : version, b.mailed.arm(), b.holdout.arm(),
                    holdoutPercent.applyAsDouble(b.campaign), counts).withOpen(b.open, counts, b.openMailed));
        }));
        return out;
    }

    /**
     * Each variant of a campaign's experiment against its baseline, campaigns in name order: the baseline is the
     * first of {@code configured} (the campaign's variants in their configured order) that has decisions, else the
     * first by name; a variant or baseline without a lift (an empty arm) is left out.
     */
    public List<VariantComparison> comparisons(ToDoubleFunction<String> holdoutPercent,
                                               Function<String, List<String>> configured) {
        return comparisons(reports(holdoutPercent, Map.of()), configured);
    }

    /** As above, from the rows {@link #reports} already made: the report reads them once. */
    public List<VariantComparison> comparisons(List<CampaignReport> reports,
                                               Function<String, List<String>> configured) {
        Map<String, Set<String>> variants = new TreeMap<>();
        for (Conversion a : assigned.values()) {
            if (a.variant() != null) {
                variants.computeIfAbsent(a.campaign(), k -> new TreeSet<>()).add(a.variant());
            }
        }
        Map<String, CampaignReport> rows = new HashMap<>();
        reports.stream().filter(r -> r.rulesVersion() == null)
                .forEach(r -> rows.put(r.campaign(), r));
        List<VariantComparison> out = new ArrayList<>();
        variants.forEach((campaign, seen) -> {
            List<String> order = new ArrayList<>(configured.apply(campaign).stream().filter(seen::contains).toList());
            seen.stream().filter(v -> !order.contains(v)).forEach(order::add);
            String baseline = order.get(0);
            for (String variant : order.subList(1, order.size())) {
                VariantComparison c = VariantComparison.of(campaign, variant, rows.get(variantRow(campaign, variant)),
                        baseline, rows.get(variantRow(campaign, baseline)));
                if (c != null) {
                    out.add(c);
                }
            }
        });
        return out;
    }

    /** The row of one variant of a campaign's experiment: {@code cart-abandonment [2h]}. */
    static String variantRow(String campaign, String variant) {
        return campaign + " [" + variant + "]";
    }

    private static final class Builder {
        // the campaign as configured (a variant's row too): its holdout share
        final String campaign;
        final Counter mailed = new Counter();
        final Counter holdout = new Counter();
        long open;
        // the mailed decisions left out: opt-outs are counted over all time, so their rate is over all mails
        long openMailed;

        Builder(String campaign) {
            this.campaign = campaign;
        }

        void add(Conversion assignment, Conversion conversion, boolean windowOpen, boolean closedOnly) {
            if (windowOpen) {
                open++;
                if (closedOnly) {
                    openMailed += Conversion.MAILED.equals(assignment.arm()) ? 1 : 0;
                    return;
                }
            }
            (Conversion.MAILED.equals(assignment.arm()) ? mailed : holdout).add(conversion);
        }
    }

    private static final class Counter {
        long assigned;
        long conversions;
        final Map<String, BigDecimal> revenue = new TreeMap<>();

        void add(Conversion conversion) {
            assigned++;
            if (conversion != null) {
                conversions++;
                if (conversion.revenue() != null && conversion.currency() != null) {
                    revenue.merge(conversion.currency(), conversion.revenue(), BigDecimal::add);
                }
            }
        }

        Arm arm() {
            return new Arm(assigned, conversions, revenue);
        }
    }
}
