package dev.nudge.metrics;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What Prometheus reads from Nudge's meters: HELP text, histograms with fixed buckets, series there from the start. */
class MetricsTest {

    @Test
    void latenciesAreHistogramsWithTheSameBucketsEverywhere() {
        Metrics metrics = new Metrics();
        metrics.latency(Duration.ofMillis(30));
        metrics.mailDelivery(Duration.ofSeconds(2));
        metrics.ruleEvaluation(80_000);
        String scrape = metrics.scrape();
        for (String h : List.of("nudge_decision_latency_seconds", "nudge_mail_delivery_seconds",
                "nudge_rules_evaluation_seconds")) {
            assertTrue(scrape.contains("# TYPE " + h + " histogram"), h);
            assertFalse(scrape.contains(h + "{quantile="), "no client-side quantiles: they do not add up over instances");
        }
        // 30 ms: above the 25 ms bucket, in the 50 ms one
        assertTrue(scrape.contains("nudge_decision_latency_seconds_bucket{le=\"0.025\"} 0"), scrape);
        assertTrue(scrape.contains("nudge_decision_latency_seconds_bucket{le=\"0.05\"} 1"), scrape);
        assertTrue(scrape.contains("nudge_mail_delivery_seconds_bucket{le=\"2.5\"} 1"), scrape);
        assertTrue(scrape.contains("nudge_mail_delivery_seconds_bucket{le=\"1.0\"} 0"), scrape);
        assertTrue(scrape.contains("nudge_rules_evaluation_seconds_bucket{le=\"1.0E-4\"} 1"), scrape);
        assertTrue(scrape.contains("nudge_decision_latency_seconds_count 1"), scrape);
    }

    @Test
    void theBenchmarkStillReadsDeliveryQuantilesInProcess() {
        Metrics metrics = new Metrics();
        assertTrue(Double.isNaN(metrics.deliveryQuantile(0.99)), "nothing recorded yet");
        for (int i = 1; i <= 100; i++) {
            metrics.mailDelivery(Duration.ofMillis(i));
        }
        assertEquals(0.050, metrics.deliveryQuantile(0.5), 0.005);
        assertEquals(0.099, metrics.deliveryQuantile(0.99), 0.005);
    }

    @Test
    void everyNudgeMetricHasHelpText() {
        Metrics metrics = new Metrics();
        metrics.suppressed("cart", "cap");
        metrics.held("cart", "source-quiet");
        metrics.released("cart", "source-quiet", "sent");
        metrics.voided("cart", "purchased");
        metrics.mail("cart", "sent");
        metrics.throttled("smtp", 1);
        metrics.wsPaused();
        metrics.ruleActivity("Send", 3, 1, 1000);
        metrics.consumerPartitions(Map.of(new Metrics.Partition("events", 0), 5L),
                Map.of(new Metrics.Partition("events", 0), 17L));
        String scrape = metrics.scrape();
        Matcher types = Pattern.compile("(?m)^# TYPE (nudge_\\w+) ").matcher(scrape);
        int families = 0;
        while (types.find()) {
            families++;
            Matcher help = Pattern.compile("(?m)^# HELP " + types.group(1) + " (.*)$").matcher(scrape);
            assertTrue(help.find() && !help.group(1).isBlank(), types.group(1) + " has HELP text");
        }
        assertTrue(families >= 20, "families: " + families);
        assertTrue(scrape.contains("nudge_consumer_partition_lag{partition=\"0\",topic=\"events\"} 5.0"), scrape);
        assertTrue(scrape.contains("nudge_consumer_partition_position{partition=\"0\",topic=\"events\"} 17.0"), scrape);
    }

    @Test
    void seriesADashboardNeedsAreThereBeforeTheFirstEvent() {
        Metrics metrics = new Metrics();
        metrics.rulesLoaded(List.of("CartAbandonedAfter30Minutes"));
        metrics.throttled("smtp", 0);
        String scrape = metrics.scrape();
        for (String line : List.of("nudge_events_in_total{type=\"CheckoutCompleted\"} 0.0",
                "nudge_rules_reloads_total{result=\"rejected\"} 0.0", "nudge_dead_letters_total 0.0",
                "nudge_rule_fires_total{rule=\"CartAbandonedAfter30Minutes\"} 0.0",
                "nudge_rule_failures_by_rule_total{rule=\"CartAbandonedAfter30Minutes\"} 0.0",
                "nudge_relay_throttled_total{channel=\"smtp\"} 0.0")) {
            assertTrue(scrape.contains(line), line);
        }
    }

    @Test
    void jvmAndProcessMetricsAreIncluded() {
        String scrape = new Metrics().scrape();
        for (String name : List.of("jvm_memory_used_bytes", "jvm_memory_max_bytes", "jvm_threads_live_threads",
                "jvm_classes_loaded_classes", "process_cpu_usage", "process_uptime_seconds", "process_files_open_files",
                "system_cpu_count")) {
            assertTrue(scrape.contains("# TYPE " + name + " "), name);
        }
    }
}
