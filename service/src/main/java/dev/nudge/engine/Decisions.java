package dev.nudge.engine;

import dev.nudge.decision.Conversion;
import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionKind;
import dev.nudge.decision.EarlierMail;
import dev.nudge.event.CartUpdated;
import dev.nudge.event.CheckoutCompleted;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.CustomerProfile;
import dev.nudge.event.EmailSent;
import dev.nudge.event.ProductViewed;
import org.kie.api.definition.rule.Rule;
import org.kie.api.runtime.rule.FactHandle;
import org.kie.api.runtime.rule.RuleContext;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The one API rules use to decide an e-mail, as the DRL global {@code decisions}. A trigger rule calls
 * {@code decisions.trigger(drools, "cart-abandonment", $cart)}, which makes a {@link Candidate}; the guards in
 * {@code rules/guards.drl} then {@code send}, {@code suppress}, {@code hold} or {@code release} it. It only records;
 * sending is elsewhere.
 */
public final class Decisions {

    private String rulesVersion;
    // ids of decisions recorded lately, with their time: a rule that fires again for the same events (Drools re-fires
    // matches when rules are reloaded) must not decide the same mail twice
    private final LinkedHashMap<String, Long> recorded = new LinkedHashMap<>();
    // ids of mails revoked lately: a second purchase, or a rule firing again after a reload, revokes nothing more
    private final LinkedHashMap<String, Long> revoked = new LinkedHashMap<>();
    // ids of decisions converted lately: one conversion each
    private final LinkedHashMap<String, Long> converted = new LinkedHashMap<>();
    private final List<Conversion> conversions = new ArrayList<>();
    private final long keepRecordedMillis;
    private final Holdouts holdouts;
    private final StaleEvents stale;
    private final QuietHours quietHours;
    private final Marks marks;
    private final Map<String, TriggerSpec> specs = new HashMap<>();
    private final List<Decision> pending = new ArrayList<>();
    private final List<CustomerProfile> learnedProfiles = new ArrayList<>();
    // held candidates by the end of their hold: the engine steps its clock to each end, as it does to each timer
    private final PriorityQueue<Hold> holds = new PriorityQueue<>(Comparator.comparingLong(Hold::until));

    private record Hold(long until, Candidate candidate) {
    }

    Decisions(String rulesVersion, Holdouts holdouts, StaleEvents stale, QuietHours quietHours,
              long keepRecordedMillis, Marks marks) {
        this.rulesVersion = rulesVersion;
        this.marks = marks;
        this.keepRecordedMillis = keepRecordedMillis;
        this.holdouts = holdouts;
        this.stale = stale;
        this.quietHours = quietHours;
    }

    /**
     * Proposes the campaign's mail to the customer of {@code trigger}. The payload is taken from the trigger (the
     * cart's items, the viewed product, the visited page); {@code related} events only add their ids.
     */
    public void trigger(RuleContext drools, String campaign, CustomerEvent trigger, CustomerEvent... related) {
        TreeSet<String> ids = new TreeSet<>();
        ids.add(trigger.eventId());
        for (CustomerEvent e : related) {
            ids.add(e.eventId());
        }
        Rule rule = drools.getRule();
        TriggerSpec spec = specs.computeIfAbsent(rule.getName(), n -> TriggerSpec.of(rule));
        // a rule that fires on insertion sees the clock behind the event by the allowed lateness
        if (spec.variant() != null && !spec.variant().equals(holdouts.variant(campaign, trigger.customerId()))) {
            // the trigger of another variant of the campaign's experiment (or of none running) decides for them
            return;
        }
        long decidedAt = Math.max(now(drools), trigger.getEventTime());
        Candidate c = new Candidate(campaign, rule.getName(), trigger, List.copyOf(ids), spec, stale.anyOf(ids),
                quietHours, decidedAt);
        if (!recorded.containsKey(c.getDecisionId())) {
            drools.getKieRuntime().insert(c);
        }
    }

    /** Lets the candidate's mail go out (to the holdout record if the customer is held out of the campaign). */
    public void send(RuleContext drools, Candidate c) {
        Decision d = decision(c, now(drools), null, null, null);
        made(d);
        delete(drools, c);
        // what was decided becomes a fact, so rules can say when the same trigger may mail again, and cap frequency
        drools.getKieRuntime().insert(new DecisionMade(d.decisionId(), c.getCampaign(), c.getCustomerId(), c.getKey(),
                d.decidedAt().toEpochMilli(), c.getCancelledBy(), c.getCartId(), c.getProductId(),
                Conversion.armOf(d.kind()), c.getConversionWindow(),
                rulesVersion, c.getVariant()));
        // a re-eligibility longer than decisions are kept counts a mark kept as long as KeyDecided's @expires says
        KeyDecided key = marks.decided(d.decisionId(), c.getCampaign(), c.getCustomerId(), c.getKey(),
                d.decidedAt().toEpochMilli(), c.reEligibilityMillis());
        if (key != null) {
            drools.getKieRuntime().insert(key);
        }
    }

    /**
     * Marks the day of {@code event} for its customer under {@code name} and {@code key} (a {@link DayMark}): at most
     * one mark per customer, name, key and calendar day in the customer's time zone, kept as long as DayMark's
     * {@code @expires}, so a trigger can count days over a week while the events themselves are kept for hours. A
     * null key marks nothing.
     */
    public void markDay(RuleContext drools, CustomerEvent event, String name, String key) {
        DayMark mark = marks.day(event, name, key);
        if (mark != null) {
            drools.getKieRuntime().insert(mark);
        }
    }

    /** Drops the candidate's mail for {@code reason}; the decision goes to the audit topic with it. */
    public void suppress(RuleContext drools, Candidate c, String reason) {
        suppress(drools, c, decision(c, now(drools), reason, null, null));
    }

    /**
     * Drops the candidate's mail for {@code reason} ({@code frequency-cap}, {@code re-eligibility}) because of a mail
     * Nudge decided earlier, which the audit record names.
     */
    public void suppress(RuleContext drools, Candidate c, String reason, DecisionMade earlier) {
        suppress(drools, c, withMore(decision(c, now(drools), reason, null, null), new EarlierMail(
                earlier.decisionId(), null, earlier.campaign(), Instant.ofEpochMilli(earlier.decidedAt())), null));
    }

    /** Drops the candidate's mail because of a mail decided earlier for the same key ({@code re-eligibility}). */
    public void suppress(RuleContext drools, Candidate c, String reason, KeyDecided earlier) {
        suppress(drools, c, withMore(decision(c, now(drools), reason, null, null), new EarlierMail(
                earlier.decisionId(), null, earlier.campaign(), Instant.ofEpochMilli(earlier.decidedAt())), null));
    }

    /** Drops the candidate's mail for {@code reason} because of a mail another sender reported, which it names. */
    public void suppress(RuleContext drools, Candidate c, String reason, EmailSent earlier) {
        suppress(drools, c, withMore(decision(c, now(drools), reason, null, null), new EarlierMail(
                null, earlier.eventId(), earlier.campaign(), earlier.timestamp()), null));
    }

    /**
     * Drops the candidate's mail because it falls in the customer's quiet hours ({@code @quietHours("skip")}); the
     * audit record says when they end.
     */
    public void suppressInQuietHours(RuleContext drools, Candidate c) {
        Instant end = Instant.ofEpochMilli(c.getDecidedAt() + c.getQuietMillisLeft());
        suppress(drools, c, withMore(decision(c, now(drools), "quiet-hours", null, null), null, end));
    }

    private void suppress(RuleContext drools, Candidate c, Decision d) {
        made(d);
        delete(drools, c);
    }

    private static Decision withMore(Decision d, EarlierMail earlier, Instant quietHoursEnd) {
        return new Decision(d.decisionId(), d.kind(), d.reason(), d.customerId(), d.campaign(), d.rule(),
                d.rulesVersion(), d.decidedAt(), d.heldUntil(), d.releasedFrom(), d.eventIds(), d.payload(),
                d.recipient(), d.variant(), earlier, quietHoursEnd);
    }

    /**
     * Keeps the candidate waiting for at most {@code maxMillis} ({@code "quiet-hours"}, {@code "source-quiet"});
     * the audit topic learns of the hold and its end. When it has lasted that long the candidate's {@code holdOver}
     * turns true, and a rule releases it or falls back.
     */
    public void hold(RuleContext drools, Candidate c, String reason, long maxMillis) {
        long now = now(drools);
        made(decision(c, now, null, reason, Instant.ofEpochMilli(now + maxMillis)));
        Candidate held = c.copy();
        held.hold(reason, maxMillis, now);
        // a changed copy, not an update in place: see replace
        delete(drools, c);
        drools.getKieRuntime().insert(held);
        holds.add(new Hold(held.getHoldUntil(), held));
    }

    /** {@link #hold(RuleContext, Candidate, String, long)} for at most a duration written as in DRL: 2h, 30m. */
    public void hold(RuleContext drools, Candidate c, String reason, String maxHold) {
        hold(drools, c, reason, Durations.parse(maxHold).toMillis());
    }

    /** Decides the candidate in the customer's time zone (from their profile) rather than the default one. */
    public void inTimeZone(RuleContext drools, Candidate c, String timeZone) {
        replace(drools, c, next -> next.setTimeZone(timeZone));
    }

    /**
     * Gives the candidate the customer's profile: the mail goes to its address, greets by its name, and is decided in
     * its time zone when it names one.
     */
    public void forProfile(RuleContext drools, Candidate c, CustomerProfile profile) {
        replace(drools, c, next -> next.setProfile(profile));
    }

    /**
     * The address a buyer gave at the checkout becomes their profile's address when it had none: a visitor known by an
     * anonymous id can be mailed from then on. The new profile is {@code profile} (null when there is none) with the
     * address, at the checkout's time (or just after the profile's, if that is not older); it lasts like any profile.
     */
    public void addressFromCheckout(RuleContext drools, CheckoutCompleted checkout, CustomerProfile profile) {
        String email = checkout.email();
        // after the profile it completes, so that the newest-profile rule keeps this one
        Instant at = profile != null && !profile.timestamp().isBefore(checkout.timestamp())
                ? profile.timestamp().plusMillis(1) : checkout.timestamp();
        CustomerProfile learned = profile == null
                ? new CustomerProfile(checkout.eventId() + "/address", checkout.customerId(), at, email, null, null,
                        null, null, Map.of())
                : new CustomerProfile(checkout.eventId() + "/address", checkout.customerId(), at, email,
                        profile.firstName(), profile.locale(), profile.timeZone(), profile.marketingConsent(),
                        profile.attributes());
        drools.getKieRuntime().insert(learned);
        learnedProfiles.add(learned);
    }

    /** Profiles rules made since the last call (see {@link #addressFromCheckout}), for the customers topic. */
    List<CustomerProfile> drainLearned() {
        return takeAll(learnedProfiles);
    }

    /**
     * The order that converts a decision (mailed or held out alike: intent to treat), once per decision whatever
     * fires again (a reload re-fires matches; a second order converts nothing more). The conversion rules decide which
     * order counts; this records it for the conversions topic.
     */
    public void converted(RuleContext drools, DecisionMade made, CheckoutCompleted order) {
        if (converted.putIfAbsent(made.decisionId(), made.decidedAt()) != null) {
            return;
        }
        conversions.add(Conversion.converted(made.decisionId(), made.campaign(), made.arm(), made.customerId(),
                made.rulesVersion(), Instant.ofEpochMilli(made.decidedAt()), order.orderId(), order.total(),
                order.currency(), order.timestamp()).withVariant(made.variant()));
    }

    /** The {@code @conversionWindow} of a trigger rule that has proposed a mail, in milliseconds; 0 for none. */
    long conversionWindowMillis(String rule) {
        TriggerSpec spec = rule == null ? null : specs.get(rule);
        return spec == null ? 0 : spec.conversionWindowMillis();
    }

    /** Conversions the rules found since the last call. */
    List<Conversion> drainConversions() {
        return takeAll(conversions);
    }

    /** What {@code pending} holds, leaving it empty; almost always nothing, and then no list is made. */
    private static <T> List<T> takeAll(List<T> pending) {
        if (pending.isEmpty()) {
            return List.of();
        }
        List<T> out = List.copyOf(pending);
        pending.clear();
        return out;
    }

    /**
     * Revokes a mail already decided, for {@code reason} ({@code purchased}, ...): the send stage drops it if it is
     * still waiting there (rate limit, retries), and the audit topic says why. A mail already delivered stays so.
     */
    public void revoke(RuleContext drools, DecisionMade made, CustomerEvent cause, String reason) {
        if (revoked.putIfAbsent(made.decisionId(), made.decidedAt()) != null) {
            return; // a second purchase revokes nothing more
        }
        made(new Decision(made.decisionId(), DecisionKind.VOIDED, reason, made.customerId(), made.campaign(),
                drools.getRule().getName(), rulesVersion,
                Instant.ofEpochMilli(Math.max(now(drools), cause.getEventTime())), null, null,
                List.of(cause.eventId()), Map.of(), null));
    }

    /** Makes the candidate another campaign's mail (a VIP version, say) before the guards decide. */
    public void asCampaign(RuleContext drools, Candidate c, String campaign) {
        replace(drools, c, next -> next.setCampaign(campaign));
    }

    /**
     * Changes a candidate by putting a changed copy in its place. Changing it in place ({@code modify}) from the rule
     * that matched it left Drools holding the deleted fact and its match for ever, one per changed candidate.
     */
    private void replace(RuleContext drools, Candidate c, java.util.function.Consumer<Candidate> change) {
        delete(drools, c);
        Candidate next = c.copy();
        change.accept(next);
        drools.getKieRuntime().insert(next);
    }

    /** Ends a hold: the guards decide again, now. */
    public void release(RuleContext drools, Candidate c) {
        reinsert(drools, c, null);
    }

    /** Ends a hold although what it waited for did not happen: a mail that goes out is marked fallback. */
    public void fallback(RuleContext drools, Candidate c, String reason) {
        reinsert(drools, c, reason);
    }

    private void reinsert(RuleContext drools, Candidate c, String fallbackReason) {
        delete(drools, c);
        // a new fact with the new time, so that windows such as the frequency cap count back from the release
        Candidate next = c.copy();
        next.release(now(drools), fallbackReason);
        drools.getKieRuntime().insert(next);
    }

    private static long now(RuleContext drools) {
        return drools.getKieRuntime().getSessionClock().getCurrentTime();
    }

    private static FactHandle handle(RuleContext drools, Candidate c) {
        return drools.getKieRuntime().getFactHandle(c);
    }

    private static void delete(RuleContext drools, Candidate c) {
        FactHandle h = handle(drools, c);
        if (h != null) {
            drools.getKieRuntime().delete(h);
        }
    }

    /**
     * The record of what the guards did with a candidate: suppressed or held for a reason, or let out, then as a
     * holdout, a fallback or a plain mail. What comes out of a hold names the hold it came out of.
     */
    private Decision decision(Candidate c, long now, String suppressed, String held, Instant heldUntil) {
        long at = Math.max(now, c.getDecidedAt());
        DecisionKind kind;
        String reason = null;
        if (suppressed != null) {
            kind = DecisionKind.SUPPRESSED;
            reason = suppressed;
        } else if (held != null) {
            kind = DecisionKind.HELD;
            reason = held;
        } else if (holdouts.heldOut(c.getCampaign(), c.getCustomerId())) {
            kind = DecisionKind.HOLDOUT;
        } else if (c.getFallback() != null) {
            kind = DecisionKind.FALLBACK;
            reason = c.getFallback();
        } else {
            kind = DecisionKind.MAIL;
        }
        return new Decision(c.getDecisionId(), kind, reason, c.getCustomerId(), c.getCampaign(), c.getRule(),
                rulesVersion, Instant.ofEpochMilli(at), heldUntil, held == null ? c.getReleasedFrom() : null,
                c.getEventIds(), MailContent.payload(c.getTrigger()), MailContent.recipient(c.getProfile()),
                c.getVariant());
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
    static String decisionId(String campaign, String customerId, List<String> sortedEventIds) {
        String key = campaign + '\u0000' + customerId + '\u0000' + String.join("\u0000", sortedEventIds);
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** When the next hold ends, or {@link Long#MAX_VALUE}. */
    long nextHoldEnd() {
        return holds.isEmpty() ? Long.MAX_VALUE : holds.peek().until();
    }

    /** Held candidates whose hold has lasted its longest by {@code now}; those released since are skipped. */
    List<Candidate> holdsOverBy(long now) {
        List<Candidate> due = new ArrayList<>();
        while (!holds.isEmpty() && holds.peek().until() <= now) {
            Hold h = holds.poll();
            // a candidate released early and held again has a newer entry of its own
            if (Candidate.HELD.equals(h.candidate().getStatus()) && h.candidate().getHoldUntil() == h.until()) {
                due.add(h.candidate());
            }
        }
        return due;
    }

    /** Stamps later decisions with the version of reloaded rules. */
    void rulesVersion(String version) {
        this.rulesVersion = version;
        // a reloaded rule keeps its name but may declare other attributes
        specs.clear();
    }

    /** Forgets recorded decision ids older than the longest time a rule may fire again for the same events. */
    void forgetBefore(long watermark) {
        forget(recorded, watermark - keepRecordedMillis);
        forget(revoked, watermark - keepRecordedMillis);
        forget(converted, watermark - keepRecordedMillis);
    }

    /** The memories are in insertion order, near enough oldest first: stop at the first id still inside the window. */
    private static void forget(LinkedHashMap<String, Long> ids, long before) {
        var it = ids.values().iterator();
        while (it.hasNext() && it.next() < before) {
            it.remove();
        }
    }

    /** Whether a decision of this id was made lately (within the time a rule may fire again for its events). */
    boolean decided(String decisionId) {
        return recorded.containsKey(decisionId);
    }

    /**
     * A decision made: its id is remembered at once, not when the engine hands it over, because one clock jump (an idle
     * partition catching up, a replay, a scenario's run-on) may fire the same trigger again before that, when a fact
     * its accumulate counted expires: the re-match must not decide the trigger a second time, hours late.
     */
    private void made(Decision d) {
        pending.add(d);
        recorded.putIfAbsent(d.decisionId(), d.decidedAt().toEpochMilli());
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
