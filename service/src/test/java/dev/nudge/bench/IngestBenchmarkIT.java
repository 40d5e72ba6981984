package dev.nudge.bench;

import dev.nudge.config.NudgeConfig;
import dev.nudge.config.Settings;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ingest benchmark runs on a few thousand events against the shared broker: every way in delivers every event
 * once (the stage checks the topic's end offsets) and its table is printed. Its speed is not checked here.
 */
@ExtendWith(BrokerExtension.class)
class IngestBenchmarkIT {

    @Test
    void eachWayDeliversEveryEventAndTheTableIsPrinted() throws Exception {
        BenchOptions options = new BenchOptions(3_000, 300, Duration.ofHours(1), 2, 7, 0, 0, Paths.RULES,
                NudgeConfig.from(Settings.of(Map.of())).engine().settings(), 0, 0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean ok = new IngestBenchmark(50, 3, 4, 2).run(BrokerExtension.bootstrap, options,
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String report = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(ok, report);
        assertTrue(report.contains("every way, every round: 3,000 events on the topic as sent\n"), report);
        assertTrue(report.contains("POST /v1/batch (per request)") && report.contains("WebSocket (per frame)"), report);
    }
}
