package dev.nudge.report;

import dev.nudge.decision.Conversion;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The text table of {@code nudge report}: one line per row, the verdicts spelled out. */
class ReportTextTest {

    private static final Instant AT = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void aSmallCampaignIsMarkedTooFewAndAnEmptyArmShowsNoLift() {
        CampaignReport small = CampaignReport.of("cart", null, new Arm(90, 9, Map.of("EUR", new BigDecimal("90"))),
                new Arm(10, 0, Map.of()), 10, new Guardrails.Counts(1, 0, 2));
        CampaignReport alone = CampaignReport.of("browse", "0123456789abcdef", new Arm(50, 2, Map.of()), Arm.EMPTY, 0,
                Guardrails.Counts.NONE);

        String text = ReportText.render(new Report(AT, AT, false, "nudge.conversions", 111, 0, 0, "nudge.events", 5,
                List.of(small, alone), List.of()));

        String cart = text.lines().filter(l -> l.startsWith("cart ")).findFirst().orElseThrow();
        assertTrue(cart.contains("too-few / unsub 11.1, spam 0.0, bounce 22.2"), cart);
        assertTrue(cart.contains("+10.00 [-"), "the interval is shown, and spans zero: " + cart);
        String browse = text.lines().filter(l -> l.startsWith("browse ")).findFirst().orElseThrow();
        assertTrue(browse.contains("0123456789ab "), "a long rules version is cut to 12 characters: " + browse);
        assertTrue(browse.contains("no-holdout"), browse);
    }

    @Test
    void anEmptyTopicSaysSo() {
        String text = ReportText.render(new Report(AT, AT, false, "nudge.conversions", 0, 0, 0, "nudge.events", 0, List.of(),
                List.of()));
        assertEquals("No assignments yet: the conversions topic holds no decision.",
                text.lines().reduce((a, b) -> b).orElseThrow());
    }
}
