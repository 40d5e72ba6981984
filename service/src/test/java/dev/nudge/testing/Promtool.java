package dev.nudge.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Prometheus's {@code promtool} (Debian's {@code prometheus} package) for the tests of the alert rules. Without it a
 * test is skipped with a loud line, since README promises {@code mvn -B verify} on a machine with only a JDK and Maven;
 * on CI ({@code CI} set, where {@code .ci/run} installs it) it fails instead, so the rules never go untested.
 */
public final class Promtool {

    private static final Path PROMTOOL = Path.of(System.getProperty("nudge.promtool", "/usr/bin/promtool"));

    /** What one run of promtool answered. */
    public record Run(int exit, String output) {
    }

    private Promtool() {
    }

    /** Runs {@code promtool args...} in {@code dir}, or skips the test (fails it on CI) when promtool is missing. */
    public static Run run(String test, Path dir, String... args) throws IOException, InterruptedException {
        if (!Files.isExecutable(PROMTOOL)) {
            String why = test + " NOT RUN: it needs promtool (" + PROMTOOL + "); install it with "
                    + "`apt-get install prometheus` (.ci/run does)";
            System.err.println("*** " + why);
            if (System.getenv("CI") != null) {
                fail(why);
            }
            Assumptions.abort(why);
        }
        List<String> command = new ArrayList<>(List.of(PROMTOOL.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("promtool " + String.join(" ", args) + " did not finish in 60 s");
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
