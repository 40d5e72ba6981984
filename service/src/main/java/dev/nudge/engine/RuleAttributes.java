package dev.nudge.engine;

import org.drools.base.definitions.rule.impl.RuleImpl;
import org.kie.api.KieBase;
import org.kie.api.definition.rule.Rule;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks the attributes rules declare ({@code @reEligibility("72h")}, ...) when they are loaded, so that a misspelt
 * name or value stops the load at its line instead of silently changing what is mailed.
 */
final class RuleAttributes {

    /** Drools' own rule annotations, which Nudge leaves to Drools. */
    private static final Set<String> DROOLS_OWN = Set.of("Propagation");

    private RuleAttributes() {
    }

    /** Every attribute problem of every rule, located in {@code sources} (file name to DRL text). */
    static List<RuleError> check(KieBase kieBase, Map<String, String> sources) {
        List<RuleError> errors = new ArrayList<>();
        kieBase.getKiePackages().forEach(pkg -> pkg.getRules().forEach(rule -> {
            String file = file(rule, pkg.getName());
            String text = sources.getOrDefault(file, "");
            for (String name : rule.getMetaData().keySet()) {
                if (!TriggerSpec.ATTRIBUTES.contains(name) && !DROOLS_OWN.contains(name)) {
                    errors.add(at(file, text, rule, name, "rule \"" + rule.getName() + "\": unknown attribute @" + name
                            + Nearest.hint(name, TriggerSpec.ATTRIBUTES, "@") + " (known: "
                            + TriggerSpec.ATTRIBUTES.stream().map(a -> "@" + a).collect(Collectors.joining(", "))
                            + ")"));
                }
            }
            try {
                TriggerSpec.of(rule);
            } catch (TriggerSpec.AttributeException e) {
                errors.add(at(file, text, rule, e.attribute(), e.getMessage()));
            }
        }));
        return errors;
    }

    private static String file(Rule rule, String fallback) {
        return rule instanceof RuleImpl r && r.getResource() != null
                ? RuleCompiler.stripPrefix(r.getResource().getSourcePath()) : fallback;
    }

    /**
     * The error at the attribute's {@code @} in the rule's header (line from 1, column from 0, as Drools counts), or
     * at the rule's own line when the text does not show it.
     */
    private static RuleError at(String file, String text, Rule rule, String attribute, String message) {
        Matcher header = Pattern.compile("(?m)^\\s*rule\\s+(\"" + Pattern.quote(rule.getName()) + "\"|"
                + Pattern.quote(rule.getName()) + "\\b)").matcher(text);
        if (!header.find()) {
            return new RuleError(file, 0, 0, message);
        }
        int offset = header.start(1);
        Matcher when = Pattern.compile("(?m)^\\s*when\\b").matcher(text);
        int end = when.find(header.end()) ? when.start() : text.length();
        if (attribute != null) {
            Matcher attr = Pattern.compile("@" + Pattern.quote(attribute) + "\\b").matcher(text)
                    .region(header.end(), end);
            if (attr.find()) {
                offset = attr.start();
            }
        }
        return RuleError.atOffset(file, text, offset, message);
    }
}
