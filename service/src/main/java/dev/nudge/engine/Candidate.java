package dev.nudge.engine;

import dev.nudge.event.CartUpdated;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.CustomerProfile;
import dev.nudge.event.ProductViewed;

import java.util.List;
import java.util.Set;

/**
 * A mail a trigger rule wants to send, before the guards of {@code rules/guards.drl} (consent, re-eligibility,
 * frequency cap, quiet hours, source freshness) let it out, hold it or suppress it; rules see it as a fact.
 */
public final class Candidate {

    /** Just triggered, or released from a hold: the guards decide now. */
    public static final String NEW = "new";
    /** Waiting: for the end of quiet hours, or for a quiet source to speak again. */
    public static final String HELD = "held";

    private String campaign;
    private String decisionId;
    private final String customerId;
    private final String key;
    private final String rule;
    private final CustomerEvent trigger;
    private final List<String> eventIds;
    private final TriggerSpec spec;
    private final boolean stale;
    private final QuietHours quietHours;
    private long decidedAt;
    private String status = NEW;
    private String holdReason;
    private long holdUntil;
    private boolean holdOver;
    private String fallback;
    private String releasedFrom;
    private String timeZone;
    private CustomerProfile profile;

    Candidate(String campaign, String rule, CustomerEvent trigger, List<String> eventIds, TriggerSpec spec,
              boolean stale, QuietHours quietHours, long decidedAt) {
        this.campaign = campaign;
        this.customerId = trigger.customerId();
        this.key = spec.keyOf(trigger);
        this.rule = rule;
        this.trigger = trigger;
        this.eventIds = List.copyOf(eventIds);
        this.spec = spec;
        this.stale = stale;
        this.quietHours = quietHours;
        this.decidedAt = decidedAt;
        this.decisionId = Decisions.decisionId(campaign, customerId, this.eventIds);
    }

    /** The id of the decision this candidate becomes: campaign, customer and triggering events. */
    public String getDecisionId() {
        return decisionId;
    }

    public String getCampaign() {
        return campaign;
    }

    void setCampaign(String campaign) {
        this.campaign = campaign;
        this.decisionId = Decisions.decisionId(campaign, customerId, eventIds);
    }

    public String getCustomerId() {
        return customerId;
    }

    /**
     * What one episode is about: the cart, the product, or else the customer, unless the trigger names another field of
     * its event in {@code @reEligibilityKey}; re-eligibility counts per key.
     */
    public String getKey() {
        return key;
    }

    public String getRule() {
        return rule;
    }

    /** The cart the mail is about (its trigger is a cart change), or null. */
    public String getCartId() {
        return trigger instanceof CartUpdated c ? c.cartId() : null;
    }

    /** The product the mail is about (its trigger is a product view), or null. */
    public String getProductId() {
        return trigger instanceof ProductViewed v ? v.productId() : null;
    }

    public CustomerEvent getTrigger() {
        return trigger;
    }

    /** Event time of the event that triggered: a purchase after it makes a held mail void. */
    public long getTriggerTime() {
        return trigger.getEventTime();
    }

    public List<String> getEventIds() {
        return eventIds;
    }

    /** When the rules decided, or when a hold ended (event time, epoch milliseconds). */
    public long getDecidedAt() {
        return decidedAt;
    }

    /** Event time as Drools orders events: the time of the decision. */
    public long getEventTime() {
        return decidedAt;
    }

    /** Higher wins when two triggers of one customer compete for the frequency cap (rule attribute @priority). */
    public int getPriority() {
        return spec.priority();
    }

    /** Decisions of this campaign for this key since this time block a new one (rule attribute @reEligibility). */
    public long getEligibleSince() {
        return spec.reEligibilityMillis() == 0 ? Long.MAX_VALUE : decidedAt - spec.reEligibilityMillis();
    }

    /** The trigger's @reEligibility in milliseconds; 0 for none. */
    long reEligibilityMillis() {
        return spec.reEligibilityMillis();
    }

    /** {@code hold}, {@code skip} or {@code send} in the customer's quiet hours (rule attribute @quietHours). */
    public String getQuietHours() {
        return spec.quietHours();
    }

    /**
     * Event types that void this mail while it is held or waiting to be sent, and whose absence the trigger concludes
     * from (rule attribute @cancelledBy; rules/cancellation.drl).
     */
    public Set<String> getCancelledBy() {
        return spec.cancelledBy();
    }

    /** The variant of the campaign's experiment its trigger belongs to ({@code @variant}), or null. */
    public String getVariant() {
        return spec.variant();
    }

    /** How long after the decision an order converts it ({@code @conversionWindow}); 0: none is counted. */
    public long getConversionWindow() {
        return spec.conversionWindowMillis();
    }

    /** True when a triggering event arrived later than engine.stale-after behind its partition. */
    public boolean isStale() {
        return stale;
    }

    public String getStatus() {
        return status;
    }

    public String getHoldReason() {
        return holdReason;
    }

    /** Why the mail goes out although a guard could not be satisfied, or null. */
    public String getFallback() {
        return fallback;
    }

    /** The reason of the hold this candidate came out of, or null. */
    public String getReleasedFrom() {
        return releasedFrom;
    }

    /** The customer's time zone from their profile, or null for the configured default. */
    public String getTimeZone() {
        return timeZone;
    }

    void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }

    /** The customer's newest profile the guards saw (address, name, time zone), or null. */
    public CustomerProfile getProfile() {
        return profile;
    }

    void setProfile(CustomerProfile profile) {
        this.profile = profile;
        if (profile.timeZone() != null) {
            this.timeZone = profile.timeZone();
        }
    }

    /** Milliseconds from the decision to the end of the customer's quiet hours, or 0 outside them. */
    public long getQuietMillisLeft() {
        return quietHours.millisLeft(decidedAt, timeZone);
    }

    /** True once the current hold has lasted its longest: rules then release the mail, or fall back. */
    public boolean isHoldOver() {
        return holdOver;
    }

    /** Event time at which the current hold has lasted its longest. */
    long getHoldUntil() {
        return holdUntil;
    }

    void hold(String reason, long millis, long now) {
        status = HELD;
        holdReason = reason;
        holdUntil = now + millis;
        holdOver = false;
    }

    void holdOver() {
        holdOver = true;
    }

    /** The same candidate as a new object, to put in this one's place. */
    Candidate copy() {
        Candidate next = new Candidate(campaign, rule, trigger, eventIds, spec, stale, quietHours, decidedAt);
        next.status = status;
        next.holdReason = holdReason;
        next.holdUntil = holdUntil;
        next.holdOver = holdOver;
        next.fallback = fallback;
        next.releasedFrom = releasedFrom;
        next.timeZone = timeZone;
        next.profile = profile;
        return next;
    }

    void release(long now, String fallbackReason) {
        releasedFrom = holdReason;
        status = NEW;
        holdReason = null;
        holdUntil = 0;
        holdOver = false;
        decidedAt = now;
        if (fallbackReason != null) {
            fallback = fallbackReason;
        }
    }

    @Override
    public String toString() {
        return "Candidate[" + campaign + " " + customerId + " " + key + " " + status + "]";
    }
}
