package dev.nudge.engine;

import org.kie.api.definition.rule.Rule;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a trigger rule declares about its mails in DRL attributes: {@code @priority(10)}, {@code @reEligibility("72h")},
 * {@code @quietHours("hold")} and {@code @cancelledBy("CheckoutCompleted")}; the guards read them from each candidate.
 */
record TriggerSpec(int priority, long reEligibilityMillis, String quietHours, Set<String> cancelledBy) {

    static final Set<String> QUIET_HOURS_MODES = Set.of("hold", "skip", "send");

    static TriggerSpec of(Rule rule) {
        Map<String, Object> meta = rule.getMetaData();
        try {
            int priority = meta.containsKey("priority") ? Integer.parseInt(text(meta.get("priority"))) : 0;
            long reEligibility = meta.containsKey("reEligibility")
                    ? Durations.parse(text(meta.get("reEligibility"))).toMillis() : 0;
            String quiet = meta.containsKey("quietHours") ? text(meta.get("quietHours")).toLowerCase(Locale.ROOT)
                    : "hold";
            if (!QUIET_HOURS_MODES.contains(quiet)) {
                throw new IllegalArgumentException("@quietHours must be hold, skip or send, got '" + quiet + "'");
            }
            Set<String> cancelledBy = meta.containsKey("cancelledBy")
                    ? Arrays.stream(text(meta.get("cancelledBy")).split(",")).map(String::trim)
                    .filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet())
                    : Set.of();
            return new TriggerSpec(priority, reEligibility, quiet, cancelledBy);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("rule \"" + rule.getName() + "\": " + e.getMessage(), e);
        }
    }

    private static String text(Object v) {
        String s = String.valueOf(v).trim();
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

}
