package dev.nudge.engine;

import dev.nudge.decision.Conversion;
import dev.nudge.decision.Decision;
import dev.nudge.event.CartUpdated;
import dev.nudge.event.ConsentSignal;
import dev.nudge.event.ClockSkew;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.CustomerMerged;
import dev.nudge.event.CustomerProfile;
import dev.nudge.event.Refusal;
import dev.nudge.event.Rekey;
import org.drools.base.base.ValueResolver;
import org.drools.core.common.ReteEvaluator;
import org.drools.core.time.TimerService;
import org.kie.api.KieServices;
import org.kie.api.event.rule.AgendaEventListener;
import org.kie.api.event.rule.RuleRuntimeEventListener;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.KieSessionConfiguration;
import org.kie.api.runtime.conf.ClockTypeOption;
import org.kie.api.runtime.conf.TimedRuleExecutionOption;
import org.kie.api.runtime.conf.TimerJobFactoryOption;
import org.kie.api.runtime.rule.FactHandle;
import org.kie.api.time.SessionPseudoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The rules of one Kafka partition: a Drools STREAM session whose pseudo clock follows the partition's event time.
 *
 * <p>The clock runs at the watermark, the newest event time seen minus the allowed lateness. An event inside the
 * lateness is therefore never behind the clock, so a checkout that arrives a little late still cancels a pending
 * abandonment, and "nothing happened for 30 minutes" is only concluded once 30 minutes plus the lateness have
 * passed. Does no I/O: callers feed events and time and take the decisions.
 */
public final class PartitionEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionEngine.class);

    /**
     * What happened to one event: refused (with why), a duplicate, or used, with what it made due and the
     * conversions it brought (those found while time moved on without events come with the next event); {@code
     * failure} says which rule failed on it, when one did (the other rules still saw it).
     */
    public record Outcome(List<Decision> decisions, boolean duplicate, boolean late, String failure,
                          CustomerEvent customerState, Refusal refused, List<CustomerEvent> forwards,
                          List<Conversion> conversions) {
        static final Outcome DUPLICATE = new Outcome(List.of(), true, false, null, null, null, List.of(), List.of());

        static Outcome refused(Refusal why) {
            return new Outcome(List.of(), false, false, null, null, why, List.of(), List.of());
        }

        /** An event of a merged id: nothing happens here, it goes on to the id it was merged into. */
        static Outcome forward(CustomerEvent event) {
            return new Outcome(List.of(), false, false, null, null, null, List.of(event), List.of());
        }

        public boolean failed() {
            return failure != null;
        }
    }

    private final KieSession session;
    private final SessionPseudoClock clock;
    private final TimerService timers;
    private final Decisions decisions;
    private final long latenessMillis;
    private final long dedupWindowMillis;
    private final Duration maxClockSkew;
    private final EventDeduplicator dedup;
    private final StaleEvents stale;
    private final CartBook carts;
    private final SourceClock sources;
    private final RuleActivity activity = new RuleActivity();
    private final Identities identities = new Identities();
    private final Marks marks;
    private final FactGate gate;
    private final ExpirySweep expiry;
    private final ValueResolver resolver;
    private final Map<String, FactHandle> quietSources = new HashMap<>();
    private long quietGeneration = -1;
    private long maxEventTime = Long.MIN_VALUE;

    public PartitionEngine(RuleSet rules, Duration allowedLateness, Duration dedupWindow) {
        this(rules, EngineSettings.of(allowedLateness, dedupWindow));
    }

    public PartitionEngine(RuleSet rules, EngineSettings settings) {
        this(rules, settings, new SourceClock(settings.sourceMaxLag()));
    }

    /** {@code sources} may be shared by the sessions of several partitions (one thread). */
    public PartitionEngine(RuleSet rules, EngineSettings settings, SourceClock sources) {
        Duration dedupWindow = settings.dedupWindow();
        KieSessionConfiguration conf = KieServices.Factory.get().newKieSessionConfiguration();
        conf.setOption(ClockTypeOption.PSEUDO);
        // timers that fall inside one clock jump must fire in time order, each at its own time
        conf.setOption(TimedRuleExecutionOption.YES);
        // every pending absence has a timer job; the default factory does not also index each job in a map, which
        // only session marshalling reads (Nudge rebuilds sessions by replay): about 100 bytes and two map updates a job
        conf.setOption(TimerJobFactoryOption.get("default"));
        this.session = rules.kieBase().newKieSession(conf, null);
        this.resolver = (ValueResolver) session;
        this.gate = new FactGate(rules.kieBase());
        this.expiry = new ExpirySweep(session.getKieBase(), (ReteEvaluator) session);
        session.addEventListener(expiry);
        this.clock = session.getSessionClock();
        this.timers = (TimerService) clock;
        // a stale id is kept as long as event ids are: longer than any rule waits on an event
        this.stale = new StaleEvents(settings.staleAfter().toMillis(), dedupWindow.toMillis());
        // a rule can fire again for the same events as long as they are remembered: the longest @expires
        long keepRecorded = Math.max(dedupWindow.toMillis(),
                rules.expiry(DecisionMade.class).orElse(Duration.ofHours(73)).toMillis());
        // marks are made only by rule sets that declare them, and forgotten with them
        this.marks = new Marks(settings.quietHours());
        marks.retentions(expiryMillis(rules, DayMark.class), expiryMillis(rules, KeyDecided.class),
                expiryMillis(rules, DecisionMade.class));
        this.decisions = new Decisions(rules.version(), settings.holdouts(), stale, settings.quietHours(), keepRecorded,
                marks);
        this.sources = sources;
        this.session.setGlobal("decisions", decisions);
        this.session.addEventListener(activity);
        this.latenessMillis = settings.allowedLateness().toMillis();
        this.dedupWindowMillis = dedupWindow.toMillis();
        this.maxClockSkew = settings.maxClockSkew();
        this.dedup = new EventDeduplicator(dedupWindow.toMillis());
        // rules that keep carts for ever would make the book grow for ever: then it forgets with the event ids
        this.carts = new CartBook(rules.expiry(CartUpdated.class).orElse(dedupWindow).toMillis());
    }

    /** {@link #accept(CustomerEvent, long)} of an event received when it happened: a replay of recorded traffic. */
    public Outcome accept(CustomerEvent event) {
        return accept(event, event.getEventTime());
    }

    /**
     * Inserts one event (a cart change as the whole cart it makes) and runs what it makes due, unless it is refused:
     * stamped more than the allowed clock skew after {@code receivedMillis} (it would move event time ahead for every
     * customer of the partition), or older than the dedup window (see {@link #tooOld}).
     */
    public Outcome accept(CustomerEvent event, long receivedMillis) {
        String into = event instanceof CustomerMerged ? null : identities.mergedInto(event.customerId());
        if (into != null) {
            return Outcome.forward(Rekey.to(event, into));
        }
        long time = event.getEventTime();
        Refusal refusal = ClockSkew.check(event, receivedMillis, maxClockSkew);
        if (refusal == null) {
            refusal = tooOld(event);
        }
        if (refusal != null) {
            return Outcome.refused(refusal);
        }
        if (!dedup.firstSeen(event.eventId(), time)) {
            return Outcome.DUPLICATE;
        }
        stale.check(event.eventId(), time, maxEventTime);
        maxEventTime = Math.max(maxEventTime, time);
        List<Decision> due = advanceTo(time - latenessMillis);
        boolean late = time < clock.getCurrentTime();
        if (event instanceof CustomerMerged merge) {
            List<CustomerEvent> moved = merge(merge);
            return new Outcome(concatDue(due, decisions.drain()), false, late, null, merge, null, moved,
                    decisions.drainConversions());
        }
        String failure = null;
        try {
            CustomerEvent fact = carts.toFact(event);
            // an event no pattern can match is not kept: no memory, no expiry (customer state is kept always)
            if (fact != null && gate.admits(fact, resolver)) {
                session.insert(fact);
            }
            // after the insert: a checkout that ends a silence must void the mails it cancels before they are let out
            sources.observe(event.type(), time);
            updateQuietSources();
            session.fireAllRules();
        } catch (RuntimeException e) {
            // one bad match must not stop the partition; the event stays in memory for the other rules
            failure = "rule \"" + activity.failed(e) + "\" failed on it: " + e;
            LOG.warn("{} ({} {})", failure, event.type(), event.eventId());
        }
        CustomerEvent kept = customerState(event);
        if (kept == null) {
            List<CustomerProfile> learned = decisions.drainLearned();
            // a checkout gives at most one address; should rules make more, the newest stands
            kept = learned.isEmpty() ? null : learned.get(learned.size() - 1);
        }
        if (kept instanceof CustomerProfile p) {
            marks.timeZone(p.customerId(), p.timeZone());
        }
        return new Outcome(concatDue(due, decisions.drain()), false, late, failure, kept, null, List.of(),
                decisions.drainConversions());
    }

    /** Almost every event decides nothing: a list is allocated only when both steps decided something. */
    private static List<Decision> concatDue(List<Decision> due, List<Decision> decided) {
        return due.isEmpty() ? decided : decided.isEmpty() ? due : concat(due, decided);
    }

    /**
     * Merges a customer id into another: its later events will follow, and what the rules hold of it (its carts,
     * views, visits, purchases, profile, consent, mails) leaves this session, to be told again under the other id, in
     * event time order, wherever that id's partition is. Its pending mails go too: the other id's rules decide anew,
     * with the other id's address, consent and frequency cap.
     */
    private List<CustomerEvent> merge(CustomerMerged merge) {
        String from = merge.customerId();
        identities.merge(from, merge.mergedInto());
        List<CustomerEvent> moved = new ArrayList<>();
        // a copy: the session's view of its facts changes under an iteration that deletes them
        for (Object fact : new ArrayList<>(session.getObjects(o -> belongsTo(o, from)))) {
            if (fact instanceof CustomerEvent e) {
                moved.add(Rekey.to(e, merge.mergedInto()));
            }
            FactHandle h = session.getFactHandle(fact);
            if (h != null) {
                session.delete(h);
            }
        }
        moved.sort(Comparator.comparingLong(CustomerEvent::getEventTime).thenComparing(CustomerEvent::eventId));
        return moved;
    }

    private static boolean belongsTo(Object fact, String customer) {
        return fact instanceof CustomerEvent e && customer.equals(e.customerId())
                || fact instanceof Candidate c && customer.equals(c.getCustomerId())
                || fact instanceof DecisionMade d && customer.equals(d.customerId());
    }

    /**
     * The merge to announce in {@code previousId}'s partition when {@code event} (a call naming both ids) is the first
     * this partition sees of that pair, else null: {@code previousId} is to be merged into the event's customer. Its
     * id comes from the event's, so a redelivery announces nothing new.
     */
    public CustomerMerged mergeToAnnounce(CustomerEvent event, String previousId) {
        if (previousId == null || !identities.announce(previousId, event.customerId())) {
            return null;
        }
        return new CustomerMerged(Rekey.eventId(event.eventId(), "merge"), previousId, event.timestamp(),
                event.customerId());
    }

    /**
     * An event more than the dedup window behind the partition's event time: its id may have been forgotten, so a
     * redelivery could not be told apart, and every window a rule could put it in is over. Profiles and consent signals
     * are kept however old (the newest wins, so an old one changes nothing, but an opt-out is never lost).
     */
    private Refusal tooOld(CustomerEvent event) {
        if (maxEventTime == Long.MIN_VALUE || event instanceof CustomerProfile || event instanceof ConsentSignal) {
            return null;
        }
        long limit = clock.getCurrentTime() - dedupWindowMillis;
        if (event.getEventTime() >= limit) {
            return null;
        }
        return new Refusal(Refusal.Kind.TOO_OLD, "timestamp " + event.timestamp() + " is older than the dedup window ("
                + Duration.ofMillis(dedupWindowMillis) + ") behind the partition's event time ("
                + Instant.ofEpochMilli(clock.getCurrentTime()) + "): a redelivery could no longer be "
                + "recognised, and every rule's window for it is over");
    }

    /**
     * The event when it is now the customer's newest profile or consent signal, which outlives the replay horizon:
     * the pipeline keeps it in the compacted customers topic, and {@link #restore} brings it back after a restart.
     */
    private CustomerEvent customerState(CustomerEvent event) {
        boolean lasting = event instanceof CustomerProfile || event instanceof ConsentSignal s && s.decisive();
        return lasting && session.getFactHandle(event) != null ? event : null;
    }

    /** Puts back a customer's profile or consent signal kept from before a restart; the newest stays. */
    public void restore(CustomerEvent event) {
        if (event instanceof CustomerMerged m) {
            identities.merge(m.customerId(), m.mergedInto());
            return;
        }
        try {
            session.insert(event);
            session.fireAllRules();
            if (event instanceof CustomerProfile p && session.getFactHandle(p) != null) {
                marks.timeZone(p.customerId(), p.timeZone());
            }
        } catch (RuntimeException e) {
            LOG.warn("could not restore {} of {}: {}", event.type(), event.customerId(), e.toString());
        }
    }

    /**
     * Puts back a {@link DayMark} or {@link KeyDecided} kept from before a restart, unless the rules do not declare it
     * or it is known already; the replay that follows marks nothing twice.
     */
    public void restoreMark(Object mark) {
        Object fact = marks.restored(mark);
        if (fact != null) {
            session.insert(fact);
        }
    }

    /**
     * From now on, collects the marks made and forgotten ({@link #drainMarks}), for the pipeline to keep in the
     * customers topic; tools that run rules without a broker (scenarios, backtests) leave it off.
     */
    public void recordMarks() {
        marks.record();
    }

    /** The marks made and forgotten since the last call (only after {@link #recordMarks}). */
    public List<MarkChange> drainMarks() {
        return marks.drain();
    }

    /** The calendar day ({@code 2026-03-02}) of {@code eventTime} for the customer, as {@code markDay} counts it. */
    public String dayOf(String customerId, long eventTime) {
        return marks.dayOf(customerId, eventTime);
    }

    private static List<Decision> concat(List<Decision> a, List<Decision> b) {
        List<Decision> out = new ArrayList<>(a.size() + b.size());
        out.addAll(a);
        out.addAll(b);
        return out;
    }

    /** Moves event time forward to {@code watermark} (never back) and returns what fell due on the way. */
    public List<Decision> advanceTo(long watermark) {
        long now = clock.getCurrentTime();
        if (watermark <= now) {
            return List.of();
        }
        try {
            // step from timer to timer: what a timed rule inserts (a candidate mail) must meet the guards at its own
            // time, not at the end of the jump, or holds and the frequency cap would count from the wrong instant
            while (now < watermark) {
                long toNext = timers.getTimeToNextJob();
                long step = toNext < 0 ? watermark : Math.min(watermark, now + Math.max(toNext, 1));
                step = Math.min(step, Math.max(now + 1, decisions.nextHoldEnd()));
                step = Math.min(step, Math.max(now + 1, expiry.nextDue()));
                // handed over before the clock moves, so they are flushed at their own time, as Drools' own jobs were
                expiry.expireUpTo(step);
                clock.advanceTime(step - now, TimeUnit.MILLISECONDS);
                now = step;
                updateQuietSources();
                endHolds(now);
                session.fireAllRules();
            }
        } catch (RuntimeException e) {
            LOG.warn("rule \"{}\" failed while advancing time to {}: {}", activity.failed(e), watermark, e.toString());
        }
        dedup.evictBefore(watermark);
        decisions.forgetBefore(watermark);
        stale.evictBefore(watermark);
        carts.forgetBefore(watermark);
        marks.forgetBefore(watermark);
        return decisions.drain();
    }

    /** Tells the rules which holds have lasted their longest (a Drools timer per hold would cost every event). */
    private void endHolds(long now) {
        for (Candidate c : decisions.holdsOverBy(now)) {
            FactHandle h = session.getFactHandle(c);
            if (h != null) {
                c.holdOver();
                session.update(h, c);
            }
        }
    }

    /** Keeps one {@link SourceQuiet} fact per watched event type that is quiet now. */
    private void updateQuietSources() {
        if (sources.generation() == quietGeneration) {
            return;
        }
        quietGeneration = sources.generation();
        Set<String> quiet = sources.quiet();
        quietSources.entrySet().removeIf(e -> {
            if (quiet.contains(e.getKey())) {
                return false;
            }
            session.delete(e.getValue());
            return true;
        });
        for (String type : quiet) {
            quietSources.computeIfAbsent(type, t -> session.insert(new SourceQuiet(t, sources.newest(t))));
        }
    }

    /** The {@code @conversionWindow} of a trigger rule that has decided, in milliseconds; 0 for none or unknown. */
    public long conversionWindowMillis(String rule) {
        return decisions.conversionWindowMillis(rule);
    }

    /** Advances as if {@code eventTime} had been seen: the idle tick's way to let time pass without events. */
    public List<Decision> advanceEventTime(long eventTime) {
        // not for the source clock: when the whole shop is quiet (the night), the checkout stream lags nothing
        maxEventTime = Math.max(maxEventTime, eventTime);
        return advanceTo(eventTime - latenessMillis);
    }

    /** The newest event time seen, or {@link Long#MIN_VALUE} before the first event. */
    public long maxEventTime() {
        return maxEventTime;
    }

    /** Current event time of the session: the watermark. */
    public long watermark() {
        return clock.getCurrentTime();
    }

    /**
     * Takes reloaded rules: the session was updated in place by its KIE container, so working memory, pending
     * windows and timers carry on; decisions from now on carry the new version.
     */
    public void rulesReloaded(RuleSet rules) {
        gate.rulesChanged();
        expiry.rulesChanged(session.getKieBase());
        decisions.rulesVersion(rules.version());
        marks.retentions(expiryMillis(rules, DayMark.class), expiryMillis(rules, KeyDecided.class),
                expiryMillis(rules, DecisionMade.class));
    }

    /** The rules' {@code @expires} of a type in milliseconds; 0 when they do not declare one. */
    private static long expiryMillis(RuleSet rules, Class<?> type) {
        return rules.expiry(type).map(Duration::toMillis).orElse(0L);
    }

    /**
     * Lets a tool watch the session (the trace of {@code rules test --trace}): every match fired and every fact
     * inserted. Not for the service: a listener costs every event.
     */
    public void watch(AgendaEventListener matches, RuleRuntimeEventListener facts) {
        session.addEventListener(matches);
        session.addEventListener(facts);
    }

    /** Sets a global that rules added by a tool use (the trace's probes); the service's rules use only decisions. */
    public void setGlobal(String name, Object value) {
        session.setGlobal(name, value);
    }

    /**
     * Whether this session decided the decision id lately (as long as it remembers ids to absorb re-firings): shadow
     * rules ask it to leave out of their comparison what the live rules decided before the shadow started.
     */
    public boolean decided(String decisionId) {
        return decisions.decided(decisionId);
    }

    /** Fires and failures per rule since the last call. */
    public Map<String, RuleActivity.Counts> drainRuleActivity() {
        return activity.drain();
    }

    /** Events not kept because no pattern of the rules could match them. */
    public long eventsLeftOut() {
        return gate.leftOut();
    }

    public long factCount() {
        return session.getFactCount();
    }

    /**
     * Facts that never expire by design: customers' profiles and consent signals (one of each per customer, replaced
     * by newer ones) and quiet-source notes. Walks every fact: for reports, not for the event path.
     */
    public long factsKeptForGood() {
        return session.getObjects(o -> o instanceof CustomerProfile || o instanceof ConsentSignal
                || o instanceof SourceQuiet).size();
    }

    /** Events waiting in the engine's expiry lanes (deleted ones included until the lanes drop them). */
    int expiriesKept() {
        return expiry.pending();
    }

    /** Whether Drools' own timer queue holds any job: rule timers only, since expiry is the engine's. */
    boolean droolsJobsPending() {
        return timers.getTimeToNextJob() >= 0;
    }

    int dedupSize() {
        return dedup.size();
    }

    int cartsKnown() {
        return carts.size();
    }

    @Override
    public void close() {
        session.dispose();
    }
}
