package dev.nudge.report;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * One arm of a campaign ({@code mailed} or {@code holdout}): the decisions assigned to it, how many of them converted,
 * and the revenue of those orders by currency (never added across currencies).
 */
public record Arm(long assigned, long conversions, Map<String, BigDecimal> revenue) {

    public static final Arm EMPTY = new Arm(0, 0, Map.of());

    public Arm {
        if (assigned < 0 || conversions < 0 || conversions > assigned) {
            throw new IllegalArgumentException("an arm converts at most what it was assigned: " + conversions
                    + " of " + assigned);
        }
        revenue = java.util.Collections.unmodifiableMap(new TreeMap<>(revenue));
    }

    /** Conversions per decision, or null without decisions. */
    @JsonProperty("rate")
    public Double rate() {
        return assigned == 0 ? null : (double) conversions / assigned;
    }
}
