package dev.nudge.live;

import java.util.Map;
import java.util.TreeMap;

/**
 * One campaign's funnel as the live page shows it: how many decisions were triggered, held, suppressed (by reason),
 * put in the holdout, voided, mailed, failed (by ledger state), assigned and converted (by arm), and how long events
 * took to become decisions. Counts are of distinct decisions, not of records.
 */
public record CampaignFunnel(String campaign, long triggered, long held, Map<String, Long> suppressed, long holdout,
                             long voided, long mailed, Map<String, Long> failed, Map<String, Long> assigned,
                             Map<String, Long> converted, Latency.Summary latency) {

    /** The counts of one campaign while they grow; read through {@link #snapshot()}. */
    static final class Counts {
        long triggered;
        long held;
        long holdout;
        long voided;
        long mailed;
        final Map<String, Long> suppressed = new TreeMap<>();
        final Map<String, Long> failed = new TreeMap<>();
        final Map<String, Long> assigned = new TreeMap<>();
        final Map<String, Long> converted = new TreeMap<>();
        final Latency latency = new Latency();

        static void add(Map<String, Long> counts, String key) {
            counts.merge(key == null ? "unknown" : key, 1L, Long::sum);
        }

        CampaignFunnel snapshot(String campaign) {
            return new CampaignFunnel(campaign, triggered, held, Map.copyOf(suppressed), holdout, voided, mailed,
                    Map.copyOf(failed), Map.copyOf(assigned), Map.copyOf(converted), latency.summary());
        }
    }
}
