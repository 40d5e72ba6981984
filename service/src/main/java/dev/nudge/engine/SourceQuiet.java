package dev.nudge.engine;

/**
 * The fact that events of one type (the {@code source}, for example {@code CheckoutCompleted}) have stopped arriving:
 * the newest of them lags the newest event of any type by more than its configured limit. Rules hold the mails that
 * such events would cancel until it is gone.
 */
public record SourceQuiet(String source, long newestEventTime) {
}
