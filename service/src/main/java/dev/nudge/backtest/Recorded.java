package dev.nudge.backtest;

import dev.nudge.event.CustomerEvent;

/**
 * One event of a backtest window, with when the pipeline received it (the record's time, or the event's own) and the
 * other id the same call named the customer by, if any.
 */
public record Recorded(CustomerEvent event, long receivedMillis, String previousId) {
}
