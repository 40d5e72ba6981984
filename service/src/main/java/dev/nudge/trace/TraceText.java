package dev.nudge.trace;

import dev.nudge.scenario.ScenarioTime;
import dev.nudge.trace.ScenarioTrace.Fired;
import dev.nudge.trace.ScenarioTrace.Step;
import dev.nudge.trace.ScenarioTrace.Verdict;

import java.io.PrintWriter;
import java.util.function.UnaryOperator;

/**
 * A {@link ScenarioTrace} as {@code rules test --trace} prints it: plain, aligned columns, scenario times as the
 * fixtures write them, each condition quoted with the file and line it is written at.
 */
public final class TraceText {

    private TraceText() {
    }

    /** Prints the trace; {@code locate} turns a rules file name into the path the analyst opens. */
    public static void print(ScenarioTrace t, UnaryOperator<String> locate, PrintWriter out) {
        out.println("TRACE " + t.customer() + " in " + t.scenario());
        int timeWidth = t.steps().stream().mapToInt(s -> ScenarioTime.format(s.at()).length()).max().orElse(8);
        int ruleWidth = t.steps().stream().flatMap(s -> s.fired().stream())
                .mapToInt(f -> f.rule() == null ? 0 : f.rule().length()).max().orElse(0);
        String indent = " ".repeat(2 + timeWidth + 2);
        for (Step s : t.steps()) {
            out.println("  " + pad(ScenarioTime.format(s.at()), timeWidth) + "  " + s.what()
                    + (s.note() == null ? "" : "  \"" + s.note() + "\""));
            if (s.fired().isEmpty()) {
                out.println(indent + "no rule fired");
            }
            for (Fired f : s.fired()) {
                String decided = String.join(", ", f.decided());
                if (f.rule() == null) {
                    out.println(indent + pad("", ruleWidth) + "  -> " + decided);
                } else {
                    out.println((indent + pad(f.rule(), ruleWidth) + (decided.isEmpty() ? "" : "  -> " + decided))
                            .stripTrailing());
                }
            }
        }
        if (!t.unfired().isEmpty()) {
            out.println("  triggers that did not fire for " + t.customer() + ":");
            int width = t.unfired().stream().mapToInt(v -> v.trigger().rule().length()).max().orElse(0);
            for (Verdict v : t.unfired()) {
                out.println("    " + pad(v.trigger().rule(), width) + "  " + explain(v, locate));
            }
        }
        if (t.decidedOtherwise()) {
            out.println("  note: with the trace's probes the rules decided otherwise than alone; trust the PASS/FAIL "
                    + "line, not this trace");
        }
    }

    /** Why a trigger did not fire, in words. */
    static String explain(Verdict v, UnaryOperator<String> locate) {
        if (v.untraceable() != null) {
            return "could not trace: " + v.untraceable();
        }
        int n = v.trigger().conditions().size();
        if (v.stopped() == null) {
            return "all " + n + " conditions matched together, yet the rule did not fire";
        }
        TriggerProbes.Condition c = v.stopped();
        String matched = v.matched() == 0 ? "" : v.matched() == 1 ? "condition 1 matched, "
                : "conditions 1-" + v.matched() + " matched, ";
        return matched + "condition " + c.number() + " never " + (c.pattern() ? "matched" : "held") + ": `"
                + c.oneLine() + "` (" + locate.apply(c.file()) + ":" + c.line() + ")";
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
