package dev.nudge.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.nudge.engine.Durations;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** Raw key/value settings: a properties file, then environment overrides ({@code NUDGE_KAFKA_TOPIC_EVENTS}). */
public final class Settings {

    private static final String ENV_PREFIX = "NUDGE_";

    private final Map<String, String> values;
    /** Environment values by key with dashes as dots: an environment name cannot hold a dash. */
    private final Map<String, String> overrides;

    private Settings(Map<String, String> values, Map<String, String> overrides) {
        this.values = values;
        this.overrides = overrides;
    }

    /** Reads the file if it exists and applies environment overrides on top. */
    public static Settings load(Path file, Map<String, String> env) throws IOException {
        Map<String, String> values = new TreeMap<>();
        if (file != null && Files.exists(file)) {
            Properties props = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                props.load(reader);
            }
            props.forEach((k, v) -> values.put(k.toString().trim(), v.toString().trim()));
        }
        Map<String, String> overrides = new TreeMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX)) {
                overrides.put(keyOf(name), value.trim());
            }
        });
        return new Settings(values, overrides);
    }

    public static Settings of(Map<String, String> values) {
        return new Settings(new TreeMap<>(values), Map.of());
    }

    /** {@code NUDGE_KAFKA_TOPIC_DEAD_LETTERS} names the key {@code kafka.topic.dead-letters} when the file has it. */
    static String keyOf(String envName) {
        return envName.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    }

    private String raw(String key) {
        String v = overrides.containsKey(key.replace('-', '.')) ? overrides.get(key.replace('-', '.')) : values.get(key);
        return v == null || v.isEmpty() ? null : v;
    }

    public String string(String key, String fallback) {
        String v = raw(key);
        return v == null ? fallback : v;
    }

    public int integer(String key, int fallback) {
        String v = raw(key);
        try {
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key + " must be a whole number, got '" + v + "'");
        }
    }

    public double decimal(String key, double fallback) {
        String v = raw(key);
        try {
            return v == null ? fallback : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key + " must be a number, got '" + v + "'");
        }
    }

    public boolean bool(String key, boolean fallback) {
        String v = raw(key);
        return v == null ? fallback : Boolean.parseBoolean(v);
    }

    /** ISO-8601 durations ({@code PT30M}) or a number with a unit ({@code 30m}, {@code 500ms}, {@code 2h}). */
    public Duration duration(String key, Duration fallback) {
        String v = raw(key);
        if (v == null) {
            return fallback;
        }
        try {
            return parseDuration(v);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("setting " + key + " must be a duration such as PT30M or 30m, got '" + v + "'");
        }
    }

    static Duration parseDuration(String v) {
        return Durations.parse(v);
    }


    /** All keys with a prefix, prefix removed: passes {@code kafka.producer.*} straight to the client. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> out = new TreeMap<>();
        Map<String, String> all = new TreeMap<>(values);
        all.putAll(overrides);
        all.forEach((k, v) -> {
            if (k.startsWith(prefix) && !v.isEmpty()) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }
}
