package dev.nudge.engine;

import org.kie.api.definition.rule.Rule;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a trigger rule declares about its mails in DRL attributes: {@code @priority(10)}, {@code @reEligibility("72h")},
 * {@code @reEligibilityKey("category")}, {@code @quietHours("hold")}, {@code @cancelledBy("CheckoutCompleted")}, {@code @conversionWindow("72h")} and
 * {@code @variant("2h")}; the guards read them from each candidate, the conversion rules from each decision.
 */
record TriggerSpec(int priority, long reEligibilityMillis, String quietHours, Set<String> cancelledBy,
                   long conversionWindowMillis, String variant, ReEligibilityKey reEligibilityKey) {

    /** The attributes a rule may declare, in the order the documentation gives them. */
    static final Set<String> ATTRIBUTES = new LinkedHashSet<>(List.of("priority", "reEligibility", "reEligibilityKey",
            "quietHours", "cancelledBy", "conversionWindow", "variant"));
    static final Set<String> QUIET_HOURS_MODES = Set.of("hold", "skip", "send");
    /** The events rules/cancellation.drl voids mails on: a purchase, and a cart change. */
    static final Set<String> CANCELLING = new LinkedHashSet<>(List.of("CheckoutCompleted", "CartUpdated"));

    /** A declared attribute whose value cannot be used, naming the attribute so the error can point at it. */
    static final class AttributeException extends IllegalArgumentException {
        private final String attribute;

        AttributeException(Rule rule, String attribute, String message) {
            super("rule \"" + rule.getName() + "\": " + message);
            this.attribute = attribute;
        }

        String attribute() {
            return attribute;
        }
    }

    static TriggerSpec of(Rule rule) {
        Map<String, Object> meta = rule.getMetaData();
        int priority = 0;
        if (meta.containsKey("priority")) {
            try {
                priority = Integer.parseInt(text(meta.get("priority")));
            } catch (NumberFormatException e) {
                throw new AttributeException(rule, "priority", "@priority must be a whole number, got '"
                        + text(meta.get("priority")) + "'");
            }
        }
        long reEligibility = millis(rule, meta, "reEligibility");
        long conversionWindow = millis(rule, meta, "conversionWindow");
        String quiet = meta.containsKey("quietHours") ? text(meta.get("quietHours")).toLowerCase(Locale.ROOT) : "hold";
        if (!QUIET_HOURS_MODES.contains(quiet)) {
            throw new AttributeException(rule, "quietHours", "@quietHours must be hold, skip or send, got '"
                    + quiet + "'");
        }
        Set<String> cancelledBy = meta.containsKey("cancelledBy")
                ? Arrays.stream(text(meta.get("cancelledBy")).split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet())
                : Set.of();
        for (String type : cancelledBy) {
            if (!CANCELLING.contains(type)) {
                throw new AttributeException(rule, "cancelledBy", "@cancelledBy names '" + type + "'"
                        + Nearest.hint(type, CANCELLING, "") + " (mails are voided by "
                        + String.join(" and ", CANCELLING) + "; write other conditions into the trigger)");
            }
        }
        String variant = meta.containsKey("variant") ? text(meta.get("variant")).trim() : null;
        if (variant != null && variant.isEmpty()) {
            throw new AttributeException(rule, "variant", "@variant names the variant of the campaign's experiment "
                    + "(\"2h\"), got nothing");
        }
        ReEligibilityKey key = ReEligibilityKey.DEFAULT;
        if (meta.containsKey("reEligibilityKey")) {
            try {
                key = ReEligibilityKey.of(text(meta.get("reEligibilityKey")));
            } catch (IllegalArgumentException e) {
                throw new AttributeException(rule, "reEligibilityKey", e.getMessage());
            }
        }
        return new TriggerSpec(priority, reEligibility, quiet, cancelledBy, conversionWindow, variant, key);
    }

    /** What re-eligibility counts per for a mail about {@code trigger}. */
    String keyOf(dev.nudge.event.CustomerEvent trigger) {
        return reEligibilityKey.of(trigger);
    }

    /** A duration attribute ({@code "72h"}) in milliseconds; 0 when the rule does not declare it. */
    private static long millis(Rule rule, Map<String, Object> meta, String attribute) {
        if (!meta.containsKey(attribute)) {
            return 0;
        }
        try {
            return Durations.parse(text(meta.get(attribute))).toMillis();
        } catch (IllegalArgumentException e) {
            throw new AttributeException(rule, attribute, e.getMessage());
        }
    }

    private static String text(Object v) {
        String s = String.valueOf(v).trim();
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
