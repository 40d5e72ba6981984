package dev.nudge.bench;

import dev.nudge.config.NudgeConfig;
import dev.nudge.config.Settings;
import dev.nudge.testing.Paths;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tiny soak: a row per simulated day, and nothing left that should expire once event time has run on. */
class SoakBenchmarkTest {

    @Test
    void fourDaysGiveFourRowsAndForgetEverythingThatExpires() throws Exception {
        BenchOptions options = new BenchOptions(20_000, 1_000, Duration.ofDays(4), 2, 5, 0.01, 0.01, Paths.RULES,
                NudgeConfig.from(Settings.of(Map.of())).engine().settings(), 0, 0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SoakBenchmark.Result r = new SoakBenchmark().soak(options, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertNotNull(r, out);
        assertEquals(List.of(1, 2, 3, 4), r.pass().days().stream().map(SoakPass.Day::day).toList(), out);
        assertEquals(r.pass().events(), r.pass().days().get(3).events(), "the last row counts every event");
        assertTrue(r.pass().events() >= 20_000, "at least the events asked for: " + r.pass().events());
        assertTrue(r.pass().days().stream().allMatch(d -> d.liveBytes() > 0 && d.expiring() > 0), out);
        assertTrue(r.pass().days().stream().mapToLong(SoakPass.Day::mails).sum() > 0, "mails were sent: " + out);
        assertEquals(0, r.pass().expiringAfter(), out);
        assertTrue(r.pass().keptAfter() > 0 && r.pass().keptAfter() <= r.keptBound(), out);
        assertEquals(SoakSummary.Verdict.TOO_SHORT, r.summary().verdict(), "four days cannot say flat or not");
        assertTrue(r.ok(), out);
        assertFalse(out.contains("LEAK"), out);
        // the profiles and consent events of the simulator reach the guards
        assertTrue(out.contains("suppressed: no-consent"), out);
    }

    @Test
    void growingHeapIsNotFlat() {
        List<SoakPass.Day> days = new java.util.ArrayList<>();
        for (int d = 1; d <= 30; d++) {
            // 100 MB, then 1 MB more every day: 22% more over days 26-30 than over days 4-8
            days.add(new SoakPass.Day(d, d * 1000L, (100L + d) << 20, 10, 1, 0));
        }
        SoakSummary s = SoakSummary.of(days);
        assertEquals(SoakSummary.Verdict.GROWING, s.verdict());
        assertEquals(1.0, s.slopeMbPerDay(), 1e-9);
        List<SoakPass.Day> flat = days.stream().map(d -> new SoakPass.Day(d.day(), d.events(),
                (200L + d.day() % 3) << 20, 10, 1, 0)).toList();
        assertEquals(SoakSummary.Verdict.FLAT, SoakSummary.of(flat).verdict());
    }
}
