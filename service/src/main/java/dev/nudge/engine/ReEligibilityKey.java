package dev.nudge.engine;

import dev.nudge.event.CartUpdated;
import dev.nudge.event.CheckoutCompleted;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.PageVisited;
import dev.nudge.event.ProductViewed;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a trigger's re-eligibility counts per ({@code @reEligibilityKey}): by default the cart of a cart trigger, the
 * product of a product view, else the customer; or {@code cart}, {@code product}, {@code customer}, or a field of the
 * trigger event ({@code category}), whose value is the key. An empty field keys the mail by the customer.
 */
record ReEligibilityKey(String field, String written) {

    /** The key as it always was: cart, product, or else customer. */
    static final ReEligibilityKey DEFAULT = new ReEligibilityKey(null, null);
    /** The words analysts use, and the field each stands for. */
    private static final Map<String, String> NAMED = new LinkedHashMap<>(Map.of("cart", "cartId", "product",
            "productId", "customer", "customerId"));
    /** Fields no episode is about: each event has its own id and time. */
    private static final Set<String> NOT_KEYS = Set.of("eventId", "timestamp", "items");
    /** The event types a trigger proposes mails about. */
    private static final List<Class<? extends Record>> TRIGGERS = List.of(CartUpdated.class, ProductViewed.class,
            PageVisited.class, CheckoutCompleted.class);
    /** Every value the attribute may take: the three words, then the fields of the trigger events. */
    static final Set<String> VALUES = values();
    private static final Map<String, Method> ACCESSORS = new ConcurrentHashMap<>();

    /** The key {@code value} names, or an error naming the nearest value there is. */
    static ReEligibilityKey of(String value) {
        String v = value.trim();
        if (!VALUES.contains(v)) {
            throw new IllegalArgumentException("@reEligibilityKey must be cart, product, customer or a field of the "
                    + "trigger event, got '" + v + "'" + Nearest.hint(v, VALUES, "") + " (fields: "
                    + String.join(", ", VALUES.stream().filter(f -> !NAMED.containsKey(f)).toList()) + ")");
        }
        return new ReEligibilityKey(NAMED.getOrDefault(v, v), v);
    }

    /** The key of a mail about {@code trigger}. */
    String of(CustomerEvent trigger) {
        if (field == null) {
            return Decisions.keyOf(trigger);
        }
        Method accessor = ACCESSORS.computeIfAbsent(trigger.getClass().getName() + "." + field,
                k -> accessor(trigger.getClass(), field));
        if (accessor == null) {
            throw new IllegalArgumentException("@reEligibilityKey(\"" + written + "\"): " + trigger.type()
                    + " has no field '" + field + "'");
        }
        try {
            Object value = accessor.invoke(trigger);
            return value == null ? trigger.customerId() : value.toString();
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("could not read " + field + " of " + trigger.type(), e);
        }
    }

    private static Method accessor(Class<?> type, String field) {
        if (!type.isRecord()) {
            return null;
        }
        return Arrays.stream(type.getRecordComponents()).filter(c -> c.getName().equals(field))
                .map(RecordComponent::getAccessor).findFirst().orElse(null);
    }

    private static Set<String> values() {
        Set<String> fields = new TreeSet<>();
        for (Class<? extends Record> t : TRIGGERS) {
            for (RecordComponent c : t.getRecordComponents()) {
                if (!NOT_KEYS.contains(c.getName())) {
                    fields.add(c.getName());
                }
            }
        }
        Set<String> all = new java.util.LinkedHashSet<>(NAMED.keySet());
        all.addAll(fields);
        return java.util.Collections.unmodifiableSet(all);
    }
}
