package dev.nudge.send;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How long a mail waits before its next SMTP attempt: doubling from {@code first} up to {@code max}, with half of each
 * wait random ("equal jitter"), so mails that failed together do not all come back at the same instant.
 */
public record Backoff(Duration first, Duration max, DoubleSupplier random) {

    /** The wait after the {@code attempt}-th failed attempt (1 for the first failure). */
    public long millisAfter(int attempt) {
        double ceiling = Math.min((double) max.toMillis(), first.toMillis() * Math.pow(2, Math.max(0, attempt - 1)));
        return Math.round(ceiling / 2 + random.getAsDouble() * ceiling / 2);
    }
}
