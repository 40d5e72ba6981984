package dev.nudge.supervise;

/** A stage that consumes says when its last poll came back, so a supervisor can tell running from stuck. */
public interface Heartbeat {

    /** Wall time (epoch milliseconds) of the last poll that came back, or 0 before the first. */
    long lastPollMillis();
}
