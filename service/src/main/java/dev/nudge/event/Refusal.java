package dev.nudge.event;

import java.util.Locale;

/** Why an event was not used: a kind for machines (dead-letter header, scenarios) and a sentence for people. */
public record Refusal(Kind kind, String reason) {

    /** The reason may quote the bad value: it is bounded, so a dead letter's header stays small. */
    public Refusal {
        reason = Text.reason(reason);
    }

    /** What was wrong with the event. */
    public enum Kind {
        /** Not an event Nudge can read: malformed JSON, a missing or mistyped field, an unknown type. */
        INVALID,
        /** Stamped further ahead of the time it was received than {@code engine.max-clock-skew}. */
        CLOCK_SKEW,
        /** Older than the partition's dedup window: a redelivery could no longer be recognised. */
        TOO_OLD,
        /** Nudge failed on it: a fault of Nudge's, kept with the error so that nothing is lost. */
        FAILED;

        /** The kind as written in headers and fixtures: {@code clock-skew}. */
        public String code() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The kind of a code, or null. */
        public static Kind ofCode(String code) {
            for (Kind k : values()) {
                if (k.code().equals(code)) {
                    return k;
                }
            }
            return null;
        }
    }

    public static Refusal invalid(String reason) {
        return new Refusal(Kind.INVALID, reason);
    }
}
