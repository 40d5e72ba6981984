package dev.nudge.config;

import java.util.List;

/**
 * The topics Nudge uses (events, decisions, dead letters, audit, and the compacted customer state), declared once;
 * call sites name a field.
 */
public record Topics(String events, String decisions, String deadLetters, String audit, String customers,
                     int partitions) {

    public List<String> all() {
        return List.of(events, decisions, deadLetters, audit, customers);
    }
}
