package dev.nudge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shipped Grafana dashboard and Prometheus alert rules ({@code deploy/grafana}, {@code deploy/prometheus}) as the
 * tests read them: their PromQL expressions and the metric names those use.
 */
public final class Monitoring {

    public static final Path DASHBOARD = Paths.DEPLOY.resolve("grafana/nudge-dashboard.json");
    public static final Path ALERTS = Paths.DEPLOY.resolve("prometheus/nudge-alerts.yml");
    public static final Path ALERT_TESTS = Paths.DEPLOY.resolve("prometheus/nudge-alerts.test.yml");

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "offset", "bool", "inf", "nan");
    /** What is not a metric name: strings, label matchers, ranges, Grafana variables, the labels of a grouping. */
    private static final Pattern NOT_NAMES = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|\\{[^}]*}|\\[[^]]*]"
            + "|\\$\\w+|\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.])([a-zA-Z_:][\\w:]*)(\\s*\\()?");

    private Monitoring() {
    }

    /** The dashboard's JSON. */
    public static JsonNode dashboard() throws IOException {
        return new ObjectMapper().readTree(DASHBOARD.toFile());
    }

    /** Every query of every panel of the dashboard. */
    public static List<String> dashboardExpressions() throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode panel : dashboard().path("panels")) {
            panel.path("targets").forEach(t -> out.add(t.path("expr").asText()));
        }
        return out;
    }

    /** The alert rules: each group's rules, as YAML read into a tree. */
    public static List<JsonNode> alertRules() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode group : new ObjectMapper(new YAMLFactory()).readTree(ALERTS.toFile()).path("groups")) {
            group.path("rules").forEach(out::add);
        }
        return out;
    }

    public static List<String> alertExpressions() throws IOException {
        return alertRules().stream().map(r -> r.path("expr").asText()).toList();
    }

    /**
     * The metric names a PromQL expression selects: the identifiers left when strings, label matchers, ranges,
     * variables and groupings are taken out, other than functions and keywords.
     */
    public static Set<String> metricNames(String promql) {
        String rest = NOT_NAMES.matcher(promql).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(rest);
        while (m.find()) {
            if (m.group(2) == null && !KEYWORDS.contains(m.group(1).toLowerCase())) {
                names.add(m.group(1));
            }
        }
        return names;
    }
}
