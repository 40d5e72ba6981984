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

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A small send benchmark must run end to end and find every decision mailed exactly once, its copies skipped. */
class SendBenchmarkTest {

    @Test
    void smallRunMailsEveryDecisionOnceThroughBothRelays() throws Exception {
        BenchOptions options = new BenchOptions(20_000, 2_000, Duration.ofHours(6), 1, 5, 0.05, 0.01, Paths.RULES,
                NudgeConfig.from(Settings.of(Map.of())).engine().settings(), 0, 0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean ok = new SendBenchmark(Paths.TEMPLATES, 60, 0, List.of(4), 0, Duration.ZERO)
                .run(options, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(ok, out);
        assertTrue(out.contains("embedded GreenMail") && out.contains("null SMTP sink"), out);
        assertTrue(out.contains("60 mails for 60 decisions, 0 mailed twice"), out);
    }
}
