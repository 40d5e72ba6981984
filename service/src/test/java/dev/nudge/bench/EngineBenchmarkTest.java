package dev.nudge.bench;

import dev.nudge.config.NudgeConfig;
import dev.nudge.config.Settings;
import dev.nudge.testing.Paths;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A small engine benchmark must run end to end, decide something, and leave no fact behind. */
class EngineBenchmarkTest {

    @Test
    void smallRunDecidesAndForgetsEverything() throws Exception {
        BenchOptions options = new BenchOptions(20_000, 2_000, Duration.ofHours(6), 2, 5, 0.01, 0.01, Paths.RULES,
                NudgeConfig.from(Settings.of(Map.of())).engine().settings(), 2_000, 10_000);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean ok = new EngineBenchmark().run(options, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(ok, out);
        assertTrue(out.contains("cart-abandonment") && out.contains("browse-abandonment"), out);
        assertTrue(out.contains("same decisions as the timed pass: yes"), out);
        assertTrue(out.contains(", 0 after +4 days"), out);
    }
}
