package dev.nudge.scenario;

import dev.nudge.config.NudgeConfig;
import dev.nudge.config.Settings;
import dev.nudge.engine.EngineSettings;
import dev.nudge.engine.Nearest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a scenario runs with: the service's defaults, changed by the scenario's own {@code settings.properties} (the
 * same keys as {@code deploy/nudge.properties}), so a daytime rule can be tested without moving the clock.
 */
final class ScenarioSettings {

    static final String FILE = "settings.properties";
    /** The settings a scenario may change: those of one partition's rules. */
    static final List<String> KEYS = List.of("engine.allowed-lateness", "engine.stale-after", "engine.dedup-window",
            "engine.max-clock-skew", "decisions.quiet-hours", "decisions.time-zone", "decisions.holdout-percent");
    /** Keys that name an event type or a campaign after the prefix. */
    static final List<String> PREFIXES = List.of("engine.source-max-lag.", "decisions.holdout-percent.");

    private ScenarioSettings() {
    }

    /** The service's defaults: what a scenario without a settings file runs with. */
    static EngineSettings defaults() {
        return NudgeConfig.from(Settings.of(Map.of())).engine().settings();
    }

    /** The settings of the scenario folder; every mistake in the file is reported at its line. */
    static EngineSettings of(Path folder, List<String> errors) throws IOException {
        Path file = folder.resolve(FILE);
        if (!Files.exists(file)) {
            return defaults();
        }
        Map<String, String> given = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                errors.add(new FixtureException(FILE, i + 1, "write key=value, got '" + line + "'").getMessage());
                continue;
            }
            String key = line.substring(0, eq).trim();
            String value = line.substring(eq + 1).trim();
            String problem = check(key, value);
            if (problem != null) {
                errors.add(new FixtureException(FILE, i + 1, problem).getMessage());
            } else {
                given.put(key, value);
            }
        }
        return NudgeConfig.from(Settings.of(given)).engine().settings();
    }

    /** What is wrong with one line, or null. */
    private static String check(String key, String value) {
        boolean known = KEYS.contains(key) || PREFIXES.stream().anyMatch(p -> key.startsWith(p) && key.length() > p.length());
        if (!known) {
            List<String> all = new ArrayList<>(KEYS);
            PREFIXES.forEach(p -> all.add(p + "<…>"));
            return "unknown setting '" + key + "'" + Nearest.hint(key, KEYS, "") + " (a scenario may set "
                    + String.join(", ", all) + ")";
        }
        try {
            NudgeConfig.from(Settings.of(Map.of(key, value)));
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
