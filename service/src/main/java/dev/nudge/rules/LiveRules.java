package dev.nudge.rules;

import dev.nudge.engine.RuleCompiler;
import dev.nudge.engine.RuleError;
import dev.nudge.engine.RuleSet;

import dev.nudge.metrics.Metrics;
import org.kie.api.definition.rule.Rule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

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

    /** The rules folder, or one of its rules files, cannot be written: nothing was changed. */
    public static final class FolderNotWritable extends IOException {
        FolderNotWritable(String message) {
            super(message);
        }
    }

    /**
     * Makes {@code sources} (file name to DRL) the {@code .drl} files of the rules folder, so a restart keeps them, and
     * reloads: one reload. The folder is checked before anything is written; should a write or the reload fail, the
     * files are put back as they were and the running rules stay. Blocking: seconds.
     */
    public synchronized RuleCompiler.Result replaceWith(Map<String, String> sources) throws IOException {
        Map<String, String> before = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".drl")).sorted().toList()) {
                if (!Files.isWritable(p)) {
                    throw new FolderNotWritable("the rules file " + p + " cannot be written");
                }
                before.put(p.getFileName().toString(), Files.readString(p));
            }
        }
        // a file written and deleted again: permissions alone do not say (root ignores them, a mount may be read-only)
        try {
            Files.delete(Files.createTempFile(dir, ".nudge-write-check", ".tmp"));
        } catch (IOException e) {
            throw new FolderNotWritable("the rules folder " + dir + " cannot be written (" + e + ")");
        }
        try {
            write(sources, before.keySet());
        } catch (IOException | RuntimeException e) {
            write(before, sources.keySet());
            throw e;
        }
        RuleCompiler.Result result = reload();
        if (!result.ok()) {
            write(before, sources.keySet());
        }
        return result;
    }

    /** Writes {@code files} into the folder, each in one move, and deletes those of {@code others} not among them. */
    private void write(Map<String, String> files, java.util.Set<String> others) throws IOException {
        for (Map.Entry<String, String> e : files.entrySet()) {
            // not a .drl name while half written: a watcher must not load it
            Path tmp = dir.resolve("." + e.getKey() + ".tmp");
            Files.writeString(tmp, e.getValue());
            Files.move(tmp, dir.resolve(e.getKey()), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        }
        for (String name : others) {
            if (!files.containsKey(name)) {
                Files.deleteIfExists(dir.resolve(name));
            }
        }
    }
}
