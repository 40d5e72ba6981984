package dev.nudge.rules;

import dev.nudge.engine.RuleCompiler;
import dev.nudge.engine.RuleError;
import dev.nudge.engine.RuleSet;

import dev.nudge.metrics.Metrics;
import org.kie.api.definition.rule.Rule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * The rules the service runs, and their reloads: a reload that does not compile leaves the running rules untouched
 * and keeps its errors for {@code GET /rules}; one that compiles is taken up by every engine between two batches.
 */
public final class LiveRules implements Supplier<RuleSet> {

    /** What the last reload attempt found. */
    public record Attempt(Instant at, List<RuleError> errors) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(LiveRules.class);

    private final Path dir;
    private final RuleCompiler compiler;
    private final Clock clock;
    private volatile RuleSet current;
    private volatile Attempt lastAttempt;

    private final Metrics metrics;

    public LiveRules(Path dir, RuleSet initial, Clock clock, Metrics metrics) {
        this(dir, initial, clock, metrics, null);
    }

    /** As above, warning in the log of windows longer than {@code replayHorizon} (engine.replay-horizon). */
    public LiveRules(Path dir, RuleSet initial, Clock clock, Metrics metrics, java.time.Duration replayHorizon) {
        this.dir = dir;
        this.metrics = metrics;
        this.compiler = new RuleCompiler(clock, replayHorizon);
        this.clock = clock;
        this.current = initial;
        this.lastAttempt = new Attempt(initial.loadedAt(), List.of());
        metrics.rulesLoaded(names(initial));
    }

    private static List<String> names(RuleSet rules) {
        return rules.kieBase().getKiePackages().stream().flatMap(p -> p.getRules().stream()).map(Rule::getName)
                .toList();
    }

    @Override
    public RuleSet get() {
        return current;
    }

    public Attempt lastAttempt() {
        return lastAttempt;
    }

    public Path dir() {
        return dir;
    }

    /** Compiles the rules folder again; only rules that compile replace the running ones. Blocking: seconds. */
    public synchronized RuleCompiler.Result reload() throws IOException {
        RuleCompiler.Result result = compiler.compile(dir);
        lastAttempt = new Attempt(clock.instant(), result.errors());
        if (result.ok()) {
            current = result.rules();
            metrics.rulesLoaded(names(current));
            LOG.info("rules {} loaded from {}: {}", current.version(), dir, current.files());
            result.warnings().forEach(w -> LOG.warn("rules: {}", w));
        } else {
            LOG.error("rules in {} do not compile; {} stay:\n  {}", dir, current.version(),
                    String.join("\n  ", result.errors().stream().map(Object::toString).toList()));
        }
        metrics.ruleReload(result.ok());
        return result;
    }
}
