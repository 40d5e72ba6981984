package dev.nudge.engine;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what Drools reports for a broken rule (MVEL's "unable to resolve method using strict-mode", ANTLR's
 * "mismatched input", the Java compiler's "is not visible") into a sentence an analyst understands, at the line and
 * column of the slip; the original text stays in {@link RuleError#raw()}.
 */
final class CompileErrors {

    /** The temporal operators of Drools, for "did you mean" on a misspelt one. */
    static final List<String> TEMPORAL = List.of("after", "before", "coincides", "during", "finishes", "finishedby",
            "includes", "meets", "metby", "overlaps", "overlappedby", "starts", "startedby");

    private static final Pattern STRICT = Pattern.compile(
            "unable to resolve method using strict-mode: ([\\w.$]+)\\.(\\w+)\\(([^)]*)\\)");
    private static final Pattern NOT_VISIBLE = Pattern.compile("The field (\\w+)\\.(\\w+) is not visible");
    private static final Pattern UNDEFINED = Pattern.compile("The method (\\w+)\\(([^)]*)\\) is undefined for the type (\\w+)");
    private static final Pattern PARSER = Pattern.compile("\\[ERR 1\\d\\d] Line \\d+:\\d+ (?:mismatched input|no viable alternative at input|extraneous input) '([^']*)'(?:.*? in rule \"?([^\"]*)\"?)?");

    private CompileErrors() {
    }

    /** Every error in the analyst's words, one per slip: the echoes Drools adds for the same slip are dropped. */
    static List<RuleError> translate(List<RuleError> errors, Map<String, String> sources) {
        Map<String, RuleError> out = new LinkedHashMap<>();
        List<RuleError> vague = new ArrayList<>();
        for (RuleError e : errors) {
            String text = sources.get(e.file());
            RuleError t = e;
            try {
                t = text == null ? e : translate(e, text);
            } catch (RuntimeException unexpected) {
                // a sentence we could not build must not hide the error: Drools' own text is still true
            }
            if (t.raw().startsWith("Unable to analyze expression")) {
                vague.add(t);
                continue;
            }
            out.putIfAbsent(t.toString(), t);
        }
        // MVEL says "Unable to analyze expression" after its precise "unable to resolve" for the same line
        for (RuleError v : vague) {
            if (out.values().stream().noneMatch(o -> o.file().equals(v.file()) && o.line() == v.line())) {
                out.putIfAbsent(v.toString(), v);
            }
        }
        return List.copyOf(out.values());
    }

    static RuleError translate(RuleError e, String text) {
        String raw = e.raw();
        String[] lines = text.split("\n", -1);
        Matcher m = STRICT.matcher(raw);
        if (m.find()) {
            Optional<Class<?>> type = load(m.group(1));
            String simple = m.group(1).substring(m.group(1).lastIndexOf('.') + 1);
            String name = m.group(2);
            boolean field = m.group(3).isBlank();
            Collection<String> known = type.map(c -> field ? properties(c) : methods(c)).orElse(Set.of());
            String message = simple + " has no " + (field ? "field" : "method") + " '" + name + "'"
                    + didYouMean(name, known) + (field ? elsewhere(name, simple, text) : "");
            return at(e, lines, e.line(), Pattern.compile("\\b" + Pattern.quote(name) + "\\b"), message);
        }
        m = NOT_VISIBLE.matcher(raw);
        if (m.find()) {
            String field = m.group(2);
            String message = "The field " + m.group(1) + "." + field + " is not visible: a field is read only inside its"
                    + " pattern; bind it there (" + m.group(1) + "( $" + field.charAt(0) + " : " + field
                    + " )) and use $" + field.charAt(0);
            return at(e, lines, e.line(), Pattern.compile("\\b" + m.group(1) + "\\s*\\.\\s*" + field + "\\b"), message);
        }
        m = UNDEFINED.matcher(raw);
        if (m.find()) {
            String name = m.group(1);
            Collection<String> known = resolve(m.group(3), text).map(CompileErrors::methods).orElse(Set.of());
            String message = m.group(3) + " has no method '" + name + "'"
                    + didYouMean(name, known);
            return at(e, lines, e.line(), Pattern.compile("\\b" + Pattern.quote(name) + "\\s*\\("), message);
        }
        m = PARSER.matcher(raw);
        if (m.find()) {
            Optional<RuleError> bracket = Brackets.problem(e.file(), text, raw);
            if (bracket.isPresent()) {
                return bracket.get();
            }
            String token = m.group(1);
            String rest = e.line() >= 1 && e.line() <= lines.length && e.column() <= lines[e.line() - 1].length()
                    ? lines[e.line() - 1].substring(e.column()) : "";
            Optional<String> operator = Nearest.to(token, TEMPORAL);
            if (token.matches("\\w+") && !TEMPORAL.contains(token) && operator.isPresent()
                    && rest.matches("(?s)" + Pattern.quote(token) + "\\s*[\\[$].*")) {
                return new RuleError(e.file(), e.line(), e.column(), "unknown operator '" + token
                        + "'; did you mean '" + operator.get() + "'? (temporal operators: " + String.join(", ", TEMPORAL)
                        + ")", raw);
            }
            String rule = m.group(2) == null ? "" : "rule \"" + m.group(2) + "\": ";
            return new RuleError(e.file(), e.line(), e.column(), rule + ("<EOF>".equals(token)
                    ? "the file ends before the rule does (a missing 'end'?)"
                    : "unexpected '" + token + "' here"), raw);
        }
        return e;
    }

    /** The slip found by {@code what} on {@code from} or the lines after it (a pattern may span lines). */
    private static RuleError at(RuleError e, String[] lines, int from, Pattern what, String message) {
        for (int i = Math.max(1, from); i <= Math.min(lines.length, Math.max(1, from) + 30); i++) {
            Matcher m = what.matcher(stripComment(lines[i - 1]));
            if (m.find()) {
                return new RuleError(e.file(), i, m.start(), message, e.raw());
            }
        }
        return new RuleError(e.file(), e.line(), e.column(), message, e.raw());
    }

    private static String stripComment(String line) {
        int c = line.indexOf("//");
        return c < 0 ? line : line.substring(0, c) + " ".repeat(line.length() - c);
    }

    /** The names DRL accepts as fields of {@code type}: record components and bean getters. */
    static Set<String> properties(Class<?> type) {
        Set<String> names = new LinkedHashSet<>();
        if (type.isRecord()) {
            for (RecordComponent c : type.getRecordComponents()) {
                names.add(c.getName());
            }
        }
        for (Method m : type.getMethods()) {
            if (m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers()) && m.getDeclaringClass() != Object.class) {
                String n = m.getName();
                if (n.startsWith("get") && n.length() > 3) {
                    names.add(Character.toLowerCase(n.charAt(3)) + n.substring(4));
                } else if (n.startsWith("is") && n.length() > 2 && m.getReturnType() == boolean.class) {
                    names.add(Character.toLowerCase(n.charAt(2)) + n.substring(3));
                }
            }
        }
        return names;
    }

    private static Set<String> methods(Class<?> type) {
        Set<String> names = new LinkedHashSet<>();
        for (Method m : type.getMethods()) {
            if (m.getDeclaringClass() != Object.class) {
                names.add(m.getName());
            }
        }
        return names;
    }

    private static Optional<Class<?>> load(String name) {
        try {
            return Optional.of(Class.forName(name, false, CompileErrors.class.getClassLoader()));
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
    }

    /** The class a simple name stands for in a DRL file: its imports and globals, then Nudge's own packages. */
    private static Optional<Class<?>> resolve(String simple, String text) {
        Matcher m = Pattern.compile("\\b([a-z][\\w.]*\\." + Pattern.quote(simple) + ")\\b").matcher(text);
        while (m.find()) {
            Optional<Class<?>> c = load(m.group(1));
            if (c.isPresent()) {
                return c;
            }
        }
        for (String pkg : List.of("dev.nudge.event.", "dev.nudge.engine.", "java.lang.")) {
            Optional<Class<?>> c = load(pkg + simple);
            if (c.isPresent()) {
                return c;
            }
        }
        return Optional.empty();
    }

    /** Unbalanced brackets, the cause of most parser errors, found where the bracket is missing. */
    static final class Brackets {

        private static final Pattern KEYWORD = Pattern.compile("^\\s*(then|end|rule|when|query|declare|function)\\b");

        private Brackets() {
        }

        static Optional<RuleError> problem(String file, String text, String raw) {
            String[] lines = text.split("\n", -1);
            Deque stack = new Deque();
            int lastLine = 0;
            int lastEnd = 0;
            for (int l = 0; l < lines.length; l++) {
                String line = stripComment(lines[l]);
                if (KEYWORD.matcher(line).find() && !stack.isEmpty()) {
                    int[] open = stack.peek();
                    return Optional.of(new RuleError(file, lastLine + 1, lastEnd, "missing '" + closing(open[2])
                            + "': the '" + (char) open[2] + "' opened at line " + (open[0] + 1) + ", column " + open[1]
                            + " is never closed", raw));
                }
                boolean inString = false;
                for (int c = 0; c < line.length(); c++) {
                    char ch = line.charAt(c);
                    if (ch == '"' && (c == 0 || line.charAt(c - 1) != '\\')) {
                        inString = !inString;
                    } else if (!inString && (ch == '(' || ch == '[')) {
                        stack.push(new int[] {l, c, ch});
                    } else if (!inString && (ch == ')' || ch == ']')) {
                        if (stack.isEmpty()) {
                            return Optional.of(new RuleError(file, l + 1, c, "'" + ch + "' closes nothing: remove it"
                                    + " or add the '" + (ch == ')' ? '(' : '[') + "' it closes", raw));
                        }
                        int[] open = stack.pop();
                        if (closing(open[2]) != ch) {
                            return Optional.of(new RuleError(file, l + 1, c, "missing '" + closing(open[2])
                                    + "' before '" + ch + "': the '" + (char) open[2] + "' opened at column " + open[1]
                                    + " of line " + (open[0] + 1) + " is never closed", raw));
                        }
                    }
                }
                if (!line.isBlank()) {
                    lastLine = l;
                    lastEnd = line.stripTrailing().length();
                }
            }
            return Optional.empty();
        }

        private static char closing(int open) {
            return open == '(' ? ')' : ']';
        }

        /** A small stack of open brackets: line, column, character. */
        private static final class Deque extends java.util.ArrayDeque<int[]> {
        }
    }

    /** A field of another pattern's type read here: the analyst's slip is reading it outside its own pattern. */
    private static String elsewhere(String name, String simple, String text) {
        Matcher imports = Pattern.compile("(?m)^\\s*import\\s+([\\w.]+)\\s*;").matcher(text);
        while (imports.find()) {
            Optional<Class<?>> c = load(imports.group(1));
            if (c.isPresent() && !c.get().getSimpleName().equals(simple) && properties(c.get()).contains(name)) {
                String owner = c.get().getSimpleName();
                String var = "$" + name.charAt(0);
                return "; " + name + " is a field of " + owner + ": bind it inside that pattern (" + owner + "( " + var
                        + " : " + name + " )) and use " + var + " here";
            }
        }
        return "";
    }

    private static String didYouMean(String given, Collection<String> known) {
        return Nearest.to(given, known).map(k -> "; did you mean '" + k + "'?").orElse("");
    }
}
