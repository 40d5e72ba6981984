package dev.nudge.config;

import java.util.List;

/**
 * The topics Nudge uses (events, decisions, dead letters, audit, the compacted customer state, the send stage's
 * ledger of decisions handled and its dead letters, the campaigns' assignments and conversions), declared once; call
 * sites name a field.
 */
public record Topics(String events, String decisions, String deadLetters, String audit, String customers,
                     String sent, String sendDeadLetters, String conversions, int partitions) {

    public List<String> all() {
        return List.of(events, decisions, deadLetters, audit, customers, sent, sendDeadLetters, conversions);
    }
}
