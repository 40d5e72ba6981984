package dev.nudge.event;

/**
 * Bounds text that Nudge echoes or passes on (a reason quoting a bad value, a product name, an address), so one huge
 * input never makes a header, a decision or a ledger entry too large for Kafka to take.
 */
public final class Text {

    /** What a reason, a header or a ledger detail may hold. */
    public static final int MAX_REASON = 1000;

    private Text() {
    }

    /** {@code s} itself, or its first {@code max} characters and a marker saying how many were left out. */
    public static String bounded(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        int cut = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, cut) + "… (" + (s.length() - cut) + " more characters)";
    }

    /** A reason for people, bounded to {@link #MAX_REASON}. */
    public static String reason(String s) {
        return bounded(s, MAX_REASON);
    }
}
