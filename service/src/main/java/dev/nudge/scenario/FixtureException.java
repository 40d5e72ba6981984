package dev.nudge.scenario;

/** A mistake in a fixture file, located at its file and line, as the analyst who wrote it reads it. */
public final class FixtureException extends Exception {

    public FixtureException(String file, int line, String message) {
        super(file + (line > 0 ? " line " + line : "") + ": " + message);
    }
}
