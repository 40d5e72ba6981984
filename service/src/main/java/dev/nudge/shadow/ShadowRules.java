package dev.nudge.shadow;

import dev.nudge.engine.RuleError;
import dev.nudge.engine.RuleSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The shadow rules of this process, if any: candidate rules that each engine runs beside the live rules, in sessions
 * of their own, deciding into the shadow topic only. Started, replaced and withdrawn here; each engine takes the
 * change up between two batches, as it does a reload.
 */
public final class ShadowRules {

    /** One run of shadow rules: {@code source} says where they came from (a request, or a folder). */
    public record Run(long id, RuleSet rules, Instant startedAt, String source, ShadowTally tally) {
    }

    /** How the last run ended (withdrawn, promoted, failed) or why rules were refused; {@code errors} for the latter. */
    public record Ended(Instant at, String version, String reason, List<RuleError> errors) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ShadowRules.class);

    private final Clock clock;
    private final AtomicLong ids = new AtomicLong();
    private volatile Run run;
    private volatile Ended ended;
    private volatile LongSupplier sessions = () -> 0;
    private volatile LongSupplier facts = () -> 0;

    public ShadowRules(Clock clock) {
        this.clock = clock;
    }

    /** The running shadow rules, or null. */
    public Run current() {
        return run;
    }

    /** How the last run ended, or null. */
    public Ended ended() {
        return ended;
    }

    /** Starts {@code rules} as the shadow rules, in place of any that run. */
    public synchronized Run start(RuleSet rules, String source) {
        Run previous = run;
        run = new Run(ids.incrementAndGet(), rules, clock.instant(), source, new ShadowTally());
        ended = previous == null ? null : new Ended(clock.instant(), previous.rules().contentHash(),
                "replaced by " + rules.contentHash(), List.of());
        LOG.info("shadow rules {} started from {}{}", rules.contentHash(), source,
                previous == null ? "" : " in place of " + previous.rules().contentHash());
        return run;
    }

    /** Ends the running shadow rules, if any, for {@code reason}; true when some ran. */
    public synchronized boolean withdraw(String reason) {
        Run previous = run;
        if (previous == null) {
            return false;
        }
        run = null;
        ended = new Ended(clock.instant(), previous.rules().contentHash(), reason, List.of());
        LOG.info("shadow rules {} ended: {}", previous.rules().contentHash(), reason);
        return true;
    }

    /** An engine's shadow sessions failed: run {@code id} ends (a later run is not touched). */
    public synchronized void failed(long id, String reason) {
        if (run != null && run.id() == id) {
            LOG.error("shadow rules {} withdrawn: {}", run.rules().contentHash(), reason);
            withdraw("withdrawn after a failure: " + reason);
        }
    }

    /** Shadow rules that did not compile (from {@code rules.shadow-dir}): nothing runs, the errors are kept to show. */
    public synchronized void refused(String source, List<RuleError> errors) {
        ended = new Ended(clock.instant(), null, "the shadow rules in " + source + " do not compile", errors);
    }

    /** How the engines report the shadow sessions they hold and the facts in them, over all partitions. */
    public void engines(LongSupplier sessions, LongSupplier facts) {
        this.sessions = sessions;
        this.facts = facts;
    }

    /** Shadow sessions open in this process's engines: 0 once a withdrawal is taken up. */
    public long sessions() {
        return sessions.getAsLong();
    }

    /** Facts in the shadow sessions' working memory. */
    public long facts() {
        return facts.getAsLong();
    }
}
