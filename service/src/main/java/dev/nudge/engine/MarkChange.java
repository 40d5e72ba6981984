package dev.nudge.engine;

/**
 * A mark the engine made ({@link DayMark}, {@link KeyDecided}) or forgot ({@code mark} null), under the key it is kept
 * by outside the engine (the compacted customers topic), so that it outlives a restart however old it is.
 */
public record MarkChange(String key, Object mark) {
}
