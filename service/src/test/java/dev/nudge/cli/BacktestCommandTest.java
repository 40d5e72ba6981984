package dev.nudge.cli;

import dev.nudge.event.CustomerEvent;
import dev.nudge.event.EventWriter;
import dev.nudge.event.Json;
import dev.nudge.event.ProductViewed;
import dev.nudge.testing.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code nudge rules backtest} from a file: its output, and wrong paths in one line. */
class BacktestCommandTest {

    @TempDir
    Path dir;

    @Test
    void sameRulesOnAFileShowNoDifference() throws Exception {
        Path config = config();
        Path events = dir.resolve("events.jsonl");
        EventWriter writer = new EventWriter(Json.mapper());
        Instant at = Instant.parse("2026-03-02T10:00:00Z");
        try (OutputStream out = Files.newOutputStream(events)) {
            for (int v = 0; v < 3; v++) {
                CustomerEvent e = new ProductViewed("v" + v, "ana", at.plusSeconds(600L * v), "lamp", "Desk lamp",
                        BigDecimal.TEN, null, null);
                out.write(writer.write(e));
                out.write('\n');
            }
            out.write("{\"not\":\"an event\"}\n".getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream was = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        CommandLineTest.Result r;
        try {
            r = CommandLineTest.run("rules", "backtest", "--config", config.toString(), "--file", events.toString());
        } finally {
            System.setOut(was);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        assertEquals(0, r.exit(), r.err() + text);
        assertTrue(text.contains("3 events from 2026-03-02T10:00:00Z to 2026-03-02T10:20:00Z (1 unreadable records "
                + "skipped)"), text);
        assertTrue(text.contains("no differences: the candidate rules decide exactly as the running rules"), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("browse-abandonment") && l.contains("1 mail")), text);
    }

    @Test
    void wrongPathsAreOneLine() throws Exception {
        Path config = config();
        for (List<String> args : List.of(List.of("--file", dir.resolve("none.jsonl").toString()),
                List.of("--rules", dir.resolve("no-rules").toString()), List.of("--since", "7x"))) {
            List<String> all = new java.util.ArrayList<>(List.of("rules", "backtest", "--config", config.toString()));
            all.addAll(args);
            CommandLineTest.Result r = CommandLineTest.run(all.toArray(String[]::new));
            assertTrue(r.exit() != 0, args.toString());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().startsWith("nudge rules backtest: "), r.err());
        }
    }

    private Path config() throws Exception {
        Path config = dir.resolve("nudge.properties");
        Files.writeString(config, "engine.rules-dir=" + Paths.RULES + "\ndecisions.quiet-hours=none\n");
        return config;
    }
}
