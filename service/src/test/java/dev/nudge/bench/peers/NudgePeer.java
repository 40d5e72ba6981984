package dev.nudge.bench.peers;

import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionKind;
import dev.nudge.engine.EngineSettings;
import dev.nudge.engine.Holdouts;
import dev.nudge.engine.PartitionEngine;
import dev.nudge.engine.QuietHours;
import dev.nudge.engine.RuleSet;
import dev.nudge.event.CartUpdated;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.ProductViewed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Nudge's engine with the shipped rules, as one {@link PartitionEngine} (one session, the whole stream) with the guards
 * that depend on configuration made neutral: no holdouts, no quiet hours, no source freshness, nothing stale. The rules
 * stay as shipped: consent, staff, VIP carts, re-eligibility, the other triggers, revocations, conversions.
 */
final class NudgePeer implements PeerEngine {

    /** Mails of the shipped rules, translated to the peers' terms, and what they decided besides. */
    record Decided(List<Mail> mails, List<Decision> all, Map<String, String> keys) {
    }

    private final PartitionEngine engine;
    private final List<Decision> decisions = new ArrayList<>();
    private final List<CustomerEvent> stream;

    NudgePeer(RuleSet rules, Duration allowedLateness, long dedupWindowMillis, List<CustomerEvent> stream) {
        EngineSettings settings = new EngineSettings(allowedLateness, Duration.ofMillis(dedupWindowMillis),
                EngineSettings.NEVER_STALE, Holdouts.NONE, QuietHours.NONE, Map.of(),
                EngineSettings.DEFAULT_MAX_CLOCK_SKEW);
        this.engine = new PartitionEngine(rules, settings);
        this.stream = stream;
    }

    @Override
    public void accept(CustomerEvent event) {
        List<Decision> made = engine.accept(event).decisions();
        if (!made.isEmpty()) {
            decisions.addAll(made);
        }
    }

    @Override
    public List<Mail> finish(long endMillis) {
        return decided(endMillis).mails();
    }

    /**
     * Runs time on and returns the mails of the two compared campaigns (VIP carts counted as carts), every decision,
     * and the key (cart, product or customer) of each decision by its id.
     */
    Decided decided(long endMillis) {
        decisions.addAll(engine.advanceEventTime(endMillis));
        Set<String> wanted = new HashSet<>();
        for (Decision d : decisions) {
            wanted.addAll(d.eventIds());
        }
        Map<String, CustomerEvent> triggers = new HashMap<>();
        for (CustomerEvent e : stream) {
            if (wanted.contains(e.eventId())) {
                triggers.putIfAbsent(e.eventId(), e);
            }
        }
        List<Mail> mails = new ArrayList<>();
        Map<String, String> keys = new HashMap<>();
        for (Decision d : decisions) {
            keys.put(d.decisionId(), key(d, triggers));
            String campaign = comparedCampaign(d.campaign());
            if (campaign == null || !(d.kind() == DecisionKind.MAIL || d.kind() == DecisionKind.FALLBACK)) {
                continue;
            }
            mails.add(new Mail(d.customerId(), campaign, keys.get(d.decisionId()), d.decidedAt().toEpochMilli()));
        }
        return new Decided(mails, List.copyOf(decisions), keys);
    }

    /** The compared campaign a shipped campaign's mail counts as, or null for the triggers the peers do not have. */
    static String comparedCampaign(String campaign) {
        return switch (campaign) {
            case Mail.CART, Mail.CART + "-vip" -> Mail.CART;
            case Mail.BROWSE -> Mail.BROWSE;
            default -> null;
        };
    }

    /** The cart or product the decision is about, from the event that triggered it. */
    static String key(Decision d, Map<String, CustomerEvent> triggers) {
        for (String id : d.eventIds()) {
            CustomerEvent e = triggers.get(id);
            if (e instanceof CartUpdated c) {
                return c.cartId();
            }
            if (e instanceof ProductViewed v) {
                return v.productId();
            }
        }
        return d.customerId();
    }

    @Override
    public void close() {
        engine.close();
    }
}
