package dev.nudge.engine;

import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.BeforeMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.rule.ConsequenceException;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How often each rule fired and failed since it was last asked, so the pipeline can publish it as metrics; the
 * engine itself does no I/O.
 */
public final class RuleActivity extends DefaultAgendaEventListener {

    /** Fires and failures of one rule, and the time its consequences took. */
    public record Counts(long fires, long failures, long consequenceNanos) {
    }

    // Drools names the rule of a failed condition only in the text: ... in [Rule "CartIdLength" in rules/bad.drl]
    private static final Pattern RULE_IN_TEXT = Pattern.compile("Rule \"([^\"]+)\"");

    private final Map<String, long[]> counts = new HashMap<>();

    private long firingSince;

    @Override
    public void beforeMatchFired(BeforeMatchFiredEvent event) {
        firingSince = System.nanoTime();
    }

    @Override
    public void afterMatchFired(AfterMatchFiredEvent event) {
        long[] c = counts.computeIfAbsent(event.getMatch().getRule().getName(), r -> new long[3]);
        c[0]++;
        c[2] += System.nanoTime() - firingSince;
    }

    /** Notes a failure and says which rule it came from, {@code ?} when Drools does not say. */
    String failed(RuntimeException e) {
        String rule = ruleOf(e);
        counts.computeIfAbsent(rule, r -> new long[3])[1]++;
        return rule;
    }

    static String ruleOf(Throwable e) {
        if (e instanceof ConsequenceException c && c.getMatch() != null) {
            return c.getMatch().getRule().getName();
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            Matcher m = RULE_IN_TEXT.matcher(String.valueOf(t.getMessage()));
            if (m.find()) {
                return m.group(1);
            }
        }
        return "?";
    }

    /** What happened since the last call, by rule. */
    public Map<String, Counts> drain() {
        if (counts.isEmpty()) {
            return Map.of();
        }
        Map<String, Counts> out = new HashMap<>();
        counts.forEach((rule, c) -> out.put(rule, new Counts(c[0], c[1], c[2])));
        counts.clear();
        return out;
    }
}
