package dev.nudge.report;

import java.time.Instant;
import java.util.List;

/**
 * A campaign report as {@code nudge report} prints it and {@code GET /campaigns} answers it: when it was read, from
 * which topics, the time it judged conversion windows at (and whether decisions with an open window were left out), how
 * many records it read and could not use, one row per campaign and per campaign and rules
 * version, and the variants of each campaign's experiment against its baseline.
 */
public record Report(Instant generatedAt, Instant asOf, boolean closedWindowsOnly, String conversionsTopic, long records, long ignored, long unmatched,
                     String eventsTopic, long events, List<CampaignReport> campaigns,
                     List<VariantComparison> variantComparisons) {
}
