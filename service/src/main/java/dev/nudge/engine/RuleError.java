package dev.nudge.engine;

/** One compile error in a rule file, located for the analyst who wrote it. */
public record RuleError(String file, int line, int column, String message) {

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }
}
