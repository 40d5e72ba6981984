package dev.nudge.trace;

import dev.nudge.engine.RuleCompiler;
import dev.nudge.engine.RuleSet;
import org.drools.drl.ast.descr.AccumulateDescr;
import org.drools.drl.ast.descr.AttributeDescr;
import org.drools.drl.ast.descr.BaseDescr;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.PatternDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.drools.drl.parser.DrlParser;
import org.drools.drl.parser.DroolsParserException;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The trigger rules of a rule set (those whose consequence calls {@code decisions.trigger}) cut into their top-level
 * conditions, and a copy of the rule set with one "probe" rule per trigger and per k: the first k conditions of the
 * trigger, reporting to {@link ProbeHits} when they match together. The most leading conditions a customer's facts
 * ever matched say which condition stopped the trigger. The probes only record: they change no fact, so the rules
 * decide as without them (the trace checks that it is so). For the trace only, never in the service.
 */
public final class TriggerProbes {

    /** The name of the probes' global. */
    public static final String GLOBAL = "nudgeTraceProbes";
    /** What every probe rule's name starts with, so the trace can leave them out of the rules that fired. */
    public static final String PREFIX = "nudge-trace-probe ";

    private static final Pattern TRIGGER = Pattern.compile("\\bdecisions\\s*\\.\\s*trigger\\s*\\(");
    private static final AtomicInteger BUILDS = new AtomicInteger();

    /**
     * One top-level condition of a trigger, as written, where it is written ({@code line} from 1); {@code pattern}
     * when it matches facts (a pattern, an accumulate), not when it holds or not ({@code not}, {@code exists},
     * {@code eval}, ...).
     */
    public record Condition(int number, String text, String file, int line, boolean pattern) {
        /** The condition on one line, as the analyst wrote it. */
        public String oneLine() {
            return text.strip().replaceAll("\\s+", " ");
        }
    }

    /** A trigger rule and its conditions; {@code untraceable} says why it cannot be probed, or is null. */
    public record Trigger(String rule, String file, int line, List<Condition> conditions, String dialect,
                          String untraceable) {
        Trigger untraceable(String why) {
            return new Trigger(rule, file, line, conditions, dialect, why);
        }
    }

    /** The rule set with the probes added, and the triggers found; {@code rules} is null when none could be added. */
    public record Probed(RuleSet rules, List<Trigger> triggers) {
    }

    private TriggerProbes() {
    }

    /** Finds the triggers of {@code rules} and compiles the rules again with their probes. */
    public static Probed of(RuleSet rules) {
        Map<String, PackageDescr> parsed = new LinkedHashMap<>();
        List<Trigger> triggers = new ArrayList<>();
        rules.sources().forEach((file, text) -> {
            DrlParser parser = new DrlParser();
            PackageDescr pkg;
            try {
                pkg = parser.parse(false, text);
            } catch (DroolsParserException e) {
                pkg = null;
            }
            if (pkg == null || parser.hasErrors()) {
                return;
            }
            parsed.put(file, pkg);
            for (RuleDescr r : pkg.getRules()) {
                if (r.getConsequence() != null && TRIGGER.matcher(r.getConsequence().toString()).find()) {
                    triggers.add(trigger(file, text, r));
                }
            }
        });
        // a probe that does not compile costs its trigger's trace, never the others': drop it and build again
        for (int attempt = 0; attempt < 3; attempt++) {
            Map<String, String> probes = new LinkedHashMap<>();
            Map<String, List<int[]>> lines = new HashMap<>();
            Map<String, List<Trigger>> owners = new HashMap<>();
            parsed.forEach((file, pkg) -> {
                List<Trigger> here = triggers.stream().filter(t -> t.file().equals(file) && t.untraceable() == null)
                        .toList();
                if (!here.isEmpty()) {
                    List<int[]> ranges = new ArrayList<>();
                    probes.put(probeFile(file), probeDrl(pkg, here, ranges));
                    lines.put(probeFile(file), ranges);
                    owners.put(probeFile(file), here);
                }
            });
            if (probes.isEmpty()) {
                return new Probed(null, triggers);
            }
            Build build = build(rules, probes);
            if (build.errors().isEmpty()) {
                return new Probed(rules.withKieBase(build.kieBase()), triggers);
            }
            boolean blamed = false;
            for (Message m : build.errors()) {
                String file = m.getPath() == null ? "" : m.getPath().replaceFirst("^.*/", "");
                List<int[]> ranges = lines.get(file);
                for (int i = 0; ranges != null && i < ranges.size(); i++) {
                    if (m.getLine() >= ranges.get(i)[0] && m.getLine() <= ranges.get(i)[1]) {
                        Trigger t = owners.get(file).get(i);
                        triggers.set(triggers.indexOf(t), t.untraceable("its probes did not compile: "
                                + m.getText().strip().lines().findFirst().orElse("")));
                        blamed = true;
                    }
                }
            }
            if (!blamed) {
                break;
            }
        }
        triggers.replaceAll(t -> t.untraceable() == null ? t.untraceable("the probes did not compile") : t);
        return new Probed(null, triggers);
    }

    private static Trigger trigger(String file, String text, RuleDescr r) {
        List<Condition> conditions = new ArrayList<>();
        String why = null;
        List<BaseDescr> descrs = r.getLhs() == null ? List.of() : r.getLhs().getDescrs();
        for (BaseDescr d : descrs) {
            int from = d.getStartCharacter();
            int to = d.getEndCharacter();
            if (from < 0 || to <= from || to > text.length()) {
                why = "condition " + (conditions.size() + 1) + " could not be located in the file";
                break;
            }
            conditions.add(new Condition(conditions.size() + 1, text.substring(from, to), file, d.getLine(),
                    d instanceof PatternDescr));
        }
        if (why == null && conditions.isEmpty()) {
            why = "it has no conditions";
        }
        if (why == null && !(descrs.get(0) instanceof PatternDescr p && !(p.getSource() instanceof AccumulateDescr))) {
            // the probes name the customer from the facts they match; a rule that opens otherwise may match none
            why = "its first condition is not a plain pattern (a fact of the customer)";
        }
        if (r.getName().contains("\"")) {
            why = "its name has a quote in it";
        }
        // the probes read the conditions as the rule does: an eval( $v.category == "x" ) is MVEL, not Java
        AttributeDescr dialect = r.getAttributes().get("dialect");
        return new Trigger(r.getName(), file, r.getLine(), List.copyOf(conditions),
                dialect == null ? null : dialect.getValue(), why);
    }

    private static String probeFile(String file) {
        return "nudge-trace-" + file;
    }

    /** The probes of one file's triggers, in the file's package and with its imports; records each trigger's lines. */
    private static String probeDrl(PackageDescr pkg, List<Trigger> triggers, List<int[]> ranges) {
        StringBuilder drl = new StringBuilder();
        drl.append("package ").append(pkg.getName()).append(";\n");
        if (pkg.getAttribute("dialect") != null) {
            drl.append("dialect \"").append(pkg.getAttribute("dialect").getValue()).append("\"\n");
        }
        pkg.getImports().forEach(i -> drl.append("import ").append(i.getTarget()).append(";\n"));
        pkg.getFunctionImports().forEach(i -> drl.append("import function ").append(i.getTarget()).append(";\n"));
        drl.append("global ").append(ProbeHits.class.getName()).append(' ').append(GLOBAL).append(";\n");
        for (Trigger t : triggers) {
            int first = (int) drl.chars().filter(c -> c == '\n').count() + 1;
            for (int k = 1; k <= t.conditions().size(); k++) {
                drl.append("rule \"").append(PREFIX).append(t.rule()).append(' ').append(k).append("\"")
                        .append(t.dialect() == null ? "" : " dialect \"" + t.dialect() + "\"").append("\nwhen\n");
                t.conditions().subList(0, k).forEach(c -> drl.append("    ").append(c.text()).append('\n'));
                drl.append("then\n    ").append(GLOBAL).append(".reached( drools, \"").append(t.rule()).append("\", ")
                        .append(k).append(" );\nend\n");
            }
            ranges.add(new int[] {first, (int) drl.chars().filter(c -> c == '\n').count()});
        }
        return drl.toString();
    }

    private record Build(KieBase kieBase, List<Message> errors) {
    }

    /** The rules' own files and the probes, compiled as RuleCompiler compiles the rules alone. */
    private static Build build(RuleSet rules, Map<String, String> probes) {
        KieServices ks = KieServices.Factory.get();
        Map<String, String> files = new LinkedHashMap<>(rules.sources());
        files.putAll(probes);
        ReleaseId release = ks.newReleaseId("dev.nudge", "rules-trace", "1.0.0-" + rules.contentHash() + "-"
                + BUILDS.incrementAndGet());
        KieBuilder builder = RuleCompiler.buildModule(release, files);
        List<Message> errors = builder.getResults().getMessages(Message.Level.ERROR);
        if (!errors.isEmpty()) {
            return new Build(null, errors);
        }
        return new Build(ks.newKieContainer(release).getKieBase(), List.of());
    }
}
