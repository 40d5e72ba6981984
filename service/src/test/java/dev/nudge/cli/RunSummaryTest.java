package dev.nudge.cli;

import dev.nudge.metrics.Metrics;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The line {@code nudge run} prints on Ctrl-C: events and conversions from its meters, the rest from its console. */
class RunSummaryTest {

    @Test
    void addsUpWithWhatTheConsoleShowed() {
        Metrics m = new Metrics();
        for (int i = 0; i < 120; i++) {
            m.eventIn(i % 3 == 0 ? "CartUpdated" : "PageViewed");
        }
        m.conversion("cart-abandonment", "mailed", "EUR", new BigDecimal("12.50"));
        m.conversion("browse-abandonment", "holdout", "EUR", new BigDecimal("3.00"));
        Map<String, Integer> shown = Map.of("DECISION", 5, "RELEASED", 2, "FALLBACK", 1, "MAILED", 6, "HELD", 3,
                "SUPPRESSED", 4, "HOLDOUT", 1, "VOIDED", 2, "TOO LATE", 1, "DUPLICATE", 7);
        assertEquals("Nudge ran 1h 02m 05s: 120 events, 8 mails decided (2 after a hold), 6 mailed, 3 held, "
                        + "4 suppressed, 1 held out, 2 voided, 1 too late to void, 7 duplicates, 2 conversions.",
                RunSummary.line(Duration.ofSeconds(3725), m, k -> shown.getOrDefault(k, 0)));
    }

    @Test
    void aRunThatDidNothingSaysSo() {
        assertEquals("Nudge ran 12s: 0 events, 0 mails decided (0 after a hold), 0 mailed, 0 held, 0 suppressed, "
                        + "0 held out, 0 voided, 0 too late to void, 0 duplicates, 0 conversions.",
                RunSummary.line(Duration.ofMillis(12_400), new Metrics(), k -> 0));
        assertEquals("3m 20s", RunSummary.duration(Duration.ofSeconds(200)));
    }
}
