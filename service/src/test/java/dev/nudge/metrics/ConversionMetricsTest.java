package dev.nudge.metrics;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Conversions and their revenue as Prometheus counters, by campaign, arm and currency. */
class ConversionMetricsTest {

    @Test
    void conversionsAndRevenueAreCountedPerCampaignArmAndCurrency() {
        Metrics metrics = new Metrics();
        metrics.conversion("cart", "mailed", "EUR", new BigDecimal("12.50"));
        metrics.conversion("cart", "mailed", "EUR", new BigDecimal("7.50"));
        metrics.conversion("cart", "holdout", "USD", new BigDecimal("3.25"));

        String scrape = metrics.scrape();

        assertTrue(scrape.contains("nudge_conversions_total{arm=\"mailed\",campaign=\"cart\"} 2.0"), scrape);
        assertTrue(scrape.contains("nudge_conversions_total{arm=\"holdout\",campaign=\"cart\"} 1.0"), scrape);
        assertTrue(scrape.contains(
                "nudge_conversion_revenue_total{arm=\"mailed\",campaign=\"cart\",currency=\"EUR\"} 20.0"), scrape);
        assertTrue(scrape.contains(
                "nudge_conversion_revenue_total{arm=\"holdout\",campaign=\"cart\",currency=\"USD\"} 3.25"), scrape);
    }
}
