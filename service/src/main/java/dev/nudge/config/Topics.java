package dev.nudge.config;

import java.util.List;

/** The three topics Nudge uses, declared once; call sites name a field, never a string. */
public record Topics(String events, String decisions, String deadLetters, int partitions) {

    public List<String> all() {
        return List.of(events, decisions, deadLetters);
    }
}
