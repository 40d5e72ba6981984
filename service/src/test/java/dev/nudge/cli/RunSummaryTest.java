package dev.nudge.cli;

import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionKind;
import dev.nudge.metrics.Metrics;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The line {@code nudge run} prints on Ctrl-C, from what this process counted. */
class RunSummaryTest {

    @Test
    void sumsWhatTheRunCounted() {
        Metrics m = new Metrics();
        for (int i = 0; i < 120; i++) {
            m.eventIn(i % 3 == 0 ? "CartUpdated" : "PageViewed");
        }
        Decision mail = new Decision("d1", DecisionKind.MAIL, null, "c1", "cart-abandonment", "Cart", "v1",
                Instant.EPOCH, null, null, null, null, null);
        for (int i = 0; i < 7; i++) {
            m.decision(mail);
        }
        m.mail("cart-abandonment", "sent");
        m.mail("browse-abandonment", "sent");
        m.mail("cart-abandonment", "failed");
        m.held("cart-abandonment", "quiet-hours");
        m.suppressed("cart-abandonment", "frequency-cap");
        m.suppressed("cart-abandonment", "holdout");
        m.voided("cart-abandonment", "purchased");
        m.conversion("cart-abandonment", "mailed", "EUR", new BigDecimal("12.50"));
        assertEquals("Nudge ran 1h 02m 05s: 120 events, 7 decisions (2 mails sent, 1 held, 1 suppressed, 1 held out, "
                + "1 voided), 1 conversions.", RunSummary.line(Duration.ofSeconds(3725), m));
    }

    @Test
    void aRunThatDidNothingSaysSo() {
        assertEquals("Nudge ran 12s: 0 events, 0 decisions (0 mails sent, 0 held, 0 suppressed, 0 held out, "
                + "0 voided), 0 conversions.", RunSummary.line(Duration.ofMillis(12_400), new Metrics()));
        assertEquals("3m 20s", RunSummary.duration(Duration.ofSeconds(200)));
    }
}
