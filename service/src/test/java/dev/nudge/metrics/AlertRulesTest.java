package dev.nudge.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nudge.testing.Monitoring;
import dev.nudge.testing.Promtool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped alert rules load in Prometheus, fire when their unit tests say they do and stay quiet otherwise
 * ({@code promtool test rules}); the dashboard's queries are valid PromQL.
 */
class AlertRulesTest {

    @Test
    void theAlertRulesAreValidRules() throws Exception {
        Promtool.Run r = Promtool.run("AlertRulesTest", Monitoring.ALERTS.getParent(), "check", "rules",
                Monitoring.ALERTS.getFileName().toString());
        assertEquals(0, r.exit(), r.output());
    }

    @Test
    void everyAlertFiresInItsCaseAndNotOtherwise() throws Exception {
        Promtool.Run r = Promtool.run("AlertRulesTest", Monitoring.ALERT_TESTS.getParent(), "test", "rules",
                Monitoring.ALERT_TESTS.getFileName().toString());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("SUCCESS"), r.output());
    }

    @Test
    void everyAlertSaysWhatItMeansAndWhatToDo() throws Exception {
        List<JsonNode> rules = Monitoring.alertRules();
        assertFalse(rules.isEmpty());
        String tests = Files.readString(Monitoring.ALERT_TESTS);
        for (JsonNode rule : rules) {
            String name = rule.path("alert").asText();
            assertFalse(name.isEmpty(), "only alerting rules: " + rule);
            assertFalse(rule.at("/annotations/summary").asText().isBlank(), name + " has a summary");
            assertTrue(rule.at("/annotations/runbook").asText().length() > 100, name + " has a runbook");
            assertFalse(rule.at("/labels/severity").asText().isEmpty(), name + " has a severity");
            assertTrue(tests.contains("alertname: " + name + "\n"), name + " has unit tests");
        }
    }

    /** Grafana's variables replaced by values, each query becomes a recording rule that promtool parses. */
    @Test
    void theDashboardQueriesAreValidPromQL(@TempDir Path dir) throws Exception {
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int i = 0;
        for (String expr : Monitoring.dashboardExpressions()) {
            String promql = expr.replace("$__rate_interval", "5m").replace("$instance", ".*");
            rules.append("      - record: dashboard:query").append(i++).append("\n        expr: '")
                    .append(promql.replace("'", "''")).append("'\n");
        }
        Files.writeString(dir.resolve("dashboard-queries.yml"), rules);
        Promtool.Run r = Promtool.run("AlertRulesTest", dir, "check", "rules", "dashboard-queries.yml");
        assertEquals(0, r.exit(), r.output() + "\n" + rules);
        assertTrue(r.output().contains(i + " rules found"), r.output());
    }
}
