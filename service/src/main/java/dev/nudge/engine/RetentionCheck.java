package dev.nudge.engine;

import org.drools.base.time.TimeUtils;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Warns when a rule looks further than the facts it needs are kept: a temporal window ({@code after[0s, 96h]},
 * {@code over window:time(4d)}) longer than the {@code @expires} of a type it reads, or an {@code @reEligibility}
 * longer than the mails it counts are kept ({@code KeyDecided}, or {@code DecisionMade} in rule sets without it).
 * Drools accepts both and silently acts on the shorter time. Against the replay horizon, only facts a restart re-reads
 * are compared: day marks and re-eligibility marks come back from the customers topic.
 */
final class RetentionCheck {

    private static final Pattern DECLARE = Pattern.compile("\\bdeclare\\s+(\\w+)\\b[^\\n]*?@expires\\(\\s*([^)]+?)\\s*\\)");
    private static final Pattern RULE = Pattern.compile("(?m)^\\s*rule\\s+(\"[^\"]+\"|\\S+)");
    private static final Pattern END = Pattern.compile("(?m)^\\s*end\\b");
    private static final Pattern WINDOW = Pattern.compile("\\b(" + String.join("|", CompileErrors.TEMPORAL)
            + ")\\s*\\[\\s*([^\\],]+?)\\s*(?:,\\s*([^\\]]+?)\\s*)?](\\s*\\$\\w+)?");
    private static final Pattern SLIDING = Pattern.compile("\\bover\\s+window:time\\(\\s*([^)]+?)\\s*\\)");
    private static final Pattern RE_ELIGIBILITY = Pattern.compile("@reEligibility\\(\\s*\"([^\"]*)\"\\s*\\)");
    /** The fact re-eligibility is checked against (rules/guards.drl), and the one older rule sets used. */
    private static final String KEYS_DECIDED = "KeyDecided";
    private static final String DECISIONS = "DecisionMade";
    /** Facts the engine keeps in the customers topic: a restart brings them back whatever the replay horizon. */
    private static final Set<String> RESTORED = Set.of(KEYS_DECIDED, "DayMark");

    private RetentionCheck() {
    }

    /**
     * The warnings for every rule of {@code sources} (file name to DRL text), located at the window or attribute;
     * with a {@code replayHorizon} (engine.replay-horizon, or null), also the waits longer than a restart re-reads.
     */
    static List<RuleError> check(Map<String, String> sources, Duration replayHorizon) {
        Map<String, Declared> kept = new LinkedHashMap<>();
        sources.forEach((file, text) -> {
            Matcher d = DECLARE.matcher(text);
            while (d.find()) {
                millis(d.group(2)).ifPresent(ms -> kept.put(d.group(1), new Declared(file, d.group(2), ms)));
            }
        });
        List<RuleError> warnings = new ArrayList<>();
        sources.forEach((file, text) -> {
            Matcher rule = RULE.matcher(text);
            while (rule.find()) {
                Matcher end = END.matcher(text);
                int stop = end.find(rule.end()) ? end.start() : text.length();
                String name = rule.group(1).replace("\"", "");
                check(file, text, rule.end(), stop, name, kept, replayHorizon, warnings);
            }
        });
        return warnings;
    }

    private static void check(String file, String text, int from, int to, String rule, Map<String, Declared> kept,
                              Duration horizon, List<RuleError> warnings) {
        String body = text.substring(from, to);
        Matcher re = RE_ELIGIBILITY.matcher(body);
        if (re.find() && kept.get(DECISIONS) != null) {
            Optional<Long> ms = millis(re.group(1));
            // a re-eligibility longer than decisions are kept counts KeyDecided (kept for days, restored after a
            // restart) when the rules declare it; a shorter one, and any in older rule sets, counts the decisions
            boolean marks = kept.containsKey(KEYS_DECIDED) && ms.isPresent()
                    && ms.get() > kept.get(DECISIONS).millis();
            Declared decisions = kept.get(marks ? KEYS_DECIDED : DECISIONS);
            if (ms.isPresent() && ms.get() > decisions.millis()) {
                warnings.add(RuleError.atOffset(file, text, from + re.start(), "rule \"" + rule + "\": @reEligibility(\"" + re.group(1)
                        + "\") is longer than " + (marks ? "the mails it counts" : "decisions") + " are kept ("
                        + (marks ? KEYS_DECIDED : DECISIONS) + " @expires(" + decisions.text()
                        + ") in " + decisions.file() + "): it acts as " + decisions.text()));
            } else if (!marks && ms.isPresent() && horizon != null && ms.get() > horizon.toMillis()) {
                warnings.add(RuleError.atOffset(file, text, from + re.start(), "rule \"" + rule + "\": @reEligibility(\"" + re.group(1)
                        + "\") is longer than a restart re-reads (engine.replay-horizon " + human(horizon.toMillis())
                        + "): after a restart it acts as " + human(horizon.toMillis())));
            }
        }
        Matcher w = WINDOW.matcher(body);
        while (w.find()) {
            long lo = millis(w.group(2)).orElse(0L);
            long hi = w.group(3) == null ? lo : millis(w.group(3)).orElse(0L);
            String window = body.substring(w.start(), w.group(4) == null ? w.end() : w.start(4)).strip();
            Optional<String> pattern = typeAround(body, w.start());
            Optional<String> other = Optional.empty();
            if (w.group(4) != null) {
                String var = w.group(4).strip();
                Matcher bound = Pattern.compile(Pattern.quote(var) + "\\s*:\\s*(\\w+)\\s*\\(").matcher(body);
                if (bound.find()) {
                    other = Optional.of(bound.group(1));
                }
            }
            // the earlier of the two facts waits for the later one, so it is the one that must be kept that long:
            // X after[lo, hi] $y keeps $y for hi (and X for -lo when lo < 0); before is the other way round
            long patternWaits = switch (w.group(1)) {
                case "after" -> -lo;
                case "before" -> hi;
                default -> Math.max(Math.abs(lo), Math.abs(hi));
            };
            long otherWaits = switch (w.group(1)) {
                case "after" -> hi;
                case "before" -> -lo;
                default -> Math.max(Math.abs(lo), Math.abs(hi));
            };
            int at = from + w.start();
            pattern.ifPresent(t -> warn(file, text, at, rule, window, patternWaits, t, kept, horizon, warnings));
            other.ifPresent(t -> warn(file, text, at, rule, window, otherWaits, t, kept, horizon, warnings));
        }
        Matcher s = SLIDING.matcher(body);
        while (s.find()) {
            Optional<Long> ms = millis(s.group(1));
            if (ms.isPresent()) {
                int at = from + s.start();
                typeBefore(body, s.start()).ifPresent(t -> warn(file, text, at, rule, s.group().strip(), ms.get(), t,
                        kept, horizon, warnings));
            }
        }
    }

    private static void warn(String file, String text, int offset, String rule, String window, long waits,
                             String type, Map<String, Declared> kept, Duration horizon, List<RuleError> warnings) {
        Declared d = kept.get(type);
        if (d != null && waits > d.millis()) {
            warnings.add(RuleError.atOffset(file, text, offset, "rule \"" + rule + "\": " + window + " needs " + type + " kept "
                    + human(waits) + ", but it is kept " + d.text() + " (@expires in " + d.file()
                    + "): the window acts as at most " + d.text()));
        } else if (horizon != null && waits > horizon.toMillis() && !RESTORED.contains(type)) {
            warnings.add(RuleError.atOffset(file, text, offset, "rule \"" + rule + "\": " + window + " needs " + type + " kept "
                    + human(waits) + ", but a restart re-reads only engine.replay-horizon (" + human(horizon.toMillis())
                    + "): after a restart the window acts as at most " + human(horizon.toMillis())));
        }
    }

    private static String human(long millis) {
        return Duration.ofMillis(millis).toString().substring(2).toLowerCase(Locale.ROOT);
    }

    /** The type of the pattern whose parentheses hold {@code offset}: {@code Type( ... this after[..] ...)}. */
    private static Optional<String> typeAround(String body, int offset) {
        int depth = 0;
        for (int i = offset - 1; i >= 0; i--) {
            char c = body.charAt(i);
            if (c == ')') {
                depth++;
            } else if (c == '(') {
                if (depth == 0) {
                    Matcher m = Pattern.compile("(\\w+)\\s*$").matcher(body.substring(Math.max(0, i - 80), i));
                    return m.find() && Character.isUpperCase(m.group(1).charAt(0)) ? Optional.of(m.group(1))
                            : typeAround(body, i);
                }
                depth--;
            }
        }
        return Optional.empty();
    }

    /** The type of the pattern just before {@code over}: {@code Type( ... ) over window:time(..)}. */
    private static Optional<String> typeBefore(String body, int offset) {
        int close = body.lastIndexOf(')', offset);
        return close < 0 ? Optional.empty() : typeAround(body, close);
    }

    /** A Drools time (30m, 1h30m, -1h, 500) in milliseconds, signed. */
    private static Optional<Long> millis(String time) {
        String t = time.strip();
        boolean negative = t.startsWith("-");
        try {
            long ms = Math.abs(TimeUtils.parseTimeString(negative ? t.substring(1) : t));
            return Optional.of(negative ? -ms : ms);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** An event type's retention as declared: where, as written, in milliseconds. */
    private record Declared(String file, String text, long millis) {
    }
}
