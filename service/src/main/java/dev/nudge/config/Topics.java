package dev.nudge.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The topics Nudge uses (events, decisions, dead letters, audit, the compacted customer state, the send stage's
 * ledger of decisions handled and its dead letters, the campaigns' assignments and conversions, the decisions of
 * shadow rules), declared once with what each needs of its configuration; call sites name a field.
 */
public record Topics(String events, String decisions, String deadLetters, String audit, String customers,
                     String sent, String sendDeadLetters, String conversions, String shadowDecisions, int partitions,
                     int replicationFactor) {

    /** The default name of the topic shadow rules decide into (read by no one but analysts and the shadow report). */
    public static final String SHADOW_DECISIONS = "nudge.decisions.shadow";

    /** Topics of one replica each: the embedded broker's, and tests'. */
    public Topics(String events, String decisions, String deadLetters, String audit, String customers, String sent,
                  String sendDeadLetters, String conversions, int partitions) {
        this(events, decisions, deadLetters, audit, customers, sent, sendDeadLetters, conversions, SHADOW_DECISIONS,
                partitions, 1);
    }

    public List<String> all() {
        return List.of(events, decisions, deadLetters, audit, customers, sent, sendDeadLetters, conversions,
                shadowDecisions);
    }

    /**
     * The configuration a topic needs beyond the cluster's defaults, for whoever creates it: Nudge at start, or the
     * KafkaTopic resources of deploy/kubernetes (a test holds them to this).
     */
    public Map<String, String> configs(String name) {
        if (name.equals(customers)) {
            // the newest profile and consent per customer, for ever: compaction keeps one of each
            return Map.of("cleanup.policy", "compact");
        }
        if (name.equals(sent)) {
            // the last state of each decision, for longer than the decisions topic keeps a decision
            return Map.of("cleanup.policy", "compact,delete",
                    "retention.ms", Long.toString(Duration.ofDays(8).toMillis()));
        }
        if (name.equals(conversions)) {
            // what the campaigns' reports count: kept for months, not for the broker's week
            return Map.of("retention.ms", Long.toString(Duration.ofDays(400).toMillis()));
        }
        return Map.of();
    }
}
