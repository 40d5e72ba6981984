package dev.nudge.engine;

import dev.nudge.event.CartUpdated;
import dev.nudge.event.CheckoutCompleted;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.PageVisited;
import dev.nudge.event.ProductViewed;
import org.kie.api.runtime.rule.RuleContext;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The one API rules use to decide an e-mail, as the DRL global {@code decisions}:
 * {@code decisions.trigger(drools, "cart-abandonment", $cart);}. It only records; sending is elsewhere.
 */
public final class Decisions {

    private final String rulesVersion;
    private final Holdouts holdouts;
    private final StaleEvents stale;
    private final List<Decision> pending = new ArrayList<>();

    Decisions(String rulesVersion, Holdouts holdouts, StaleEvents stale) {
        this.rulesVersion = rulesVersion;
        this.holdouts = holdouts;
        this.stale = stale;
    }

    /**
     * Decides that the customer of {@code trigger} gets the campaign's mail. The payload is taken from the trigger
     * (the cart's items, the viewed product, the visited page); {@code related} events only add their ids.
     */
    public void trigger(RuleContext drools, String campaign, CustomerEvent trigger, CustomerEvent... related) {
        Decision d = decide(drools, campaign, null, trigger, related);
        pending.add(d);
        // what was decided becomes a fact, so rules can say when the same trigger may mail again
        drools.getKieRuntime().insert(new DecisionMade(campaign, d.customerId(), keyOf(trigger),
                d.decidedAt().toEpochMilli()));
    }

    /**
     * Records that the rules would have decided the campaign but a rule says no (for example
     * {@code "re-eligibility"}): the decision goes to the audit topic with that reason, never to a mail.
     */
    public void suppress(RuleContext drools, String campaign, String reason, CustomerEvent trigger,
                         CustomerEvent... related) {
        pending.add(decide(drools, campaign, reason, trigger, related));
    }

    private Decision decide(RuleContext drools, String campaign, String reason, CustomerEvent trigger,
                            CustomerEvent... related) {
        TreeSet<String> ids = new TreeSet<>();
        ids.add(trigger.eventId());
        for (CustomerEvent e : related) {
            ids.add(e.eventId());
        }
        long now = drools.getKieRuntime().getSessionClock().getCurrentTime();
        // a rule that fires on insertion sees the clock behind the event by the allowed lateness
        Instant decidedAt = Instant.ofEpochMilli(Math.max(now, trigger.getEventTime()));
        String suppressed = reason != null ? reason : stale.anyOf(ids) ? Decision.STALE_DATA : null;
        return new Decision(decisionId(campaign, trigger.customerId(), ids), trigger.customerId(), campaign,
                drools.getRule().getName(), rulesVersion, decidedAt, List.copyOf(ids), payload(trigger),
                holdouts.heldOut(campaign, trigger.customerId()), suppressed);
    }

    /** What one episode of a trigger is about: the cart, the product, or else the customer. */
    static String keyOf(CustomerEvent e) {
        if (e instanceof CartUpdated c) {
            return c.cartId();
        }
        if (e instanceof ProductViewed v) {
            return v.productId();
        }
        return e.customerId();
    }

    /** Same campaign, customer and triggering events give the same id, whatever the rule or the run. */
    static String decisionId(String campaign, String customerId, TreeSet<String> eventIds) {
        String key = campaign + '\u0000' + customerId + '\u0000' + String.join("\u0000", eventIds);
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static Map<String, Object> payload(CustomerEvent e) {
        Map<String, Object> p = new LinkedHashMap<>();
        if (e instanceof CartUpdated c) {
            p.put("cartId", c.cartId());
            p.put("items", c.items());
        } else if (e instanceof ProductViewed v) {
            Map<String, Object> product = new LinkedHashMap<>();
            product.put("productId", v.productId());
            putIfPresent(product, "name", v.name());
            putIfPresent(product, "price", v.price());
            putIfPresent(product, "url", v.url());
            putIfPresent(product, "imageUrl", v.imageUrl());
            p.put("product", product);
        } else if (e instanceof PageVisited v) {
            p.put("url", v.url());
        } else if (e instanceof CheckoutCompleted c) {
            p.put("orderId", c.orderId());
        }
        return p;
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    /** Hands over what the rules decided since the last call. */
    List<Decision> drain() {
        if (pending.isEmpty()) {
            return List.of();
        }
        List<Decision> out = List.copyOf(pending);
        pending.clear();
        return out;
    }
}
