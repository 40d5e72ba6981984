package dev.nudge.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nudge.testing.Monitoring;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped Grafana dashboard imports anywhere (Prometheus chosen as a variable), shows each thing issue 15 lists
 * in a panel of its own, and aggregates latencies from histogram buckets.
 */
class DashboardTest {

    @Test
    void thePrometheusDatasourceIsAVariableUsedByEveryPanel() throws Exception {
        JsonNode d = Monitoring.dashboard();
        assertTrue(d.path("schemaVersion").asInt() >= 36, "schemaVersion " + d.path("schemaVersion"));
        JsonNode variable = d.at("/templating/list/0");
        assertEquals("datasource", variable.path("name").asText());
        assertEquals("datasource", variable.path("type").asText());
        assertEquals("prometheus", variable.path("query").asText());
        for (JsonNode panel : d.path("panels")) {
            if (!panel.path("type").asText().equals("row")) {
                assertEquals("${datasource}", panel.at("/datasource/uid").asText(), panel.path("title").asText());
                assertFalse(panel.path("targets").isEmpty(), panel.path("title").asText());
                assertFalse(panel.path("description").asText().isBlank(), panel.path("title").asText());
            }
        }
    }

    @Test
    void panelsDoNotOverlap() throws Exception {
        List<int[]> boxes = new ArrayList<>();
        for (JsonNode p : Monitoring.dashboard().path("panels")) {
            JsonNode g = p.path("gridPos");
            int[] box = {g.path("x").asInt(), g.path("y").asInt(), g.path("w").asInt(), g.path("h").asInt()};
            assertTrue(box[0] + box[2] <= 24, p.path("title").asText() + " fits the 24 columns");
            for (int[] b : boxes) {
                boolean apart = box[0] >= b[0] + b[2] || b[0] >= box[0] + box[2] || box[1] >= b[1] + b[3]
                        || b[1] >= box[1] + box[3];
                assertTrue(apart, p.path("title").asText() + " overlaps another panel");
            }
            boxes.add(box);
        }
    }

    @Test
    void everyItemOfTheIssueHasItsPanel() throws Exception {
        List<String> exprs = Monitoring.dashboardExpressions();
        // what issue 15 asks the dashboard to show, as the metric each panel reads
        for (String metric : List.of("nudge_events_in_total", "nudge_decisions_total", "nudge_decisions_suppressed_total",
                "nudge_decisions_held_total", "nudge_mails_total", "nudge_dead_letters_total",
                "nudge_consumer_partition_lag", "nudge_decision_latency_seconds_bucket",
                "nudge_mail_delivery_seconds_bucket", "nudge_rule_fires_total", "nudge_rule_failures_by_rule_total",
                "nudge_rules_reloads_total", "jvm_memory_used_bytes")) {
            assertTrue(exprs.stream().anyMatch(e -> Monitoring.metricNames(e).contains(metric)), metric);
        }
    }

    @Test
    void latenciesAreQuantilesOfBucketsSummedOverInstances() throws Exception {
        for (String e : Monitoring.dashboardExpressions()) {
            if (e.contains("histogram_quantile")) {
                assertTrue(e.matches("histogram_quantile\\(0\\.\\d+, sum by \\(le\\) \\(rate\\(\\w+_bucket\\{.*"), e);
            }
            for (String name : Monitoring.metricNames(e)) {
                if (name.endsWith("_total")) {
                    assertTrue(e.contains("rate(" + name) || e.contains("increase(" + name), "counter as a rate: " + e);
                }
            }
        }
    }

    @Test
    void metricNamesAreReadOutOfPromQL() {
        assertEquals(Set.of("nudge_mail_delivery_seconds_bucket"), Monitoring.metricNames(
                "histogram_quantile(0.99, sum by (le) (rate(nudge_mail_delivery_seconds_bucket{instance=~\"$instance\"}[$__rate_interval])))"));
        assertEquals(Set.of("nudge_decisions_total"), Monitoring.metricNames(
                "(sum(increase(nudge_decisions_total[2h])) or vector(0)) == 0\n"
                        + "  and on () sum(increase(nudge_decisions_total[2h] offset 1d)) > 0"));
        assertEquals(Set.of("nudge_consumer_partition_lag", "nudge_consumer_partition_position"), Monitoring.metricNames(
                "max by (topic, partition) (nudge_consumer_partition_lag) > 0 unless on (topic, partition) "
                        + "max by (topic, partition) (changes(nudge_consumer_partition_position[10m])) > 0"));
        assertEquals(Set.of("jvm_memory_used_bytes"), Monitoring.metricNames(
                "sum by (instance) (jvm_memory_used_bytes{area=\"heap\",instance=~\"$instance\"})"));
    }
}
