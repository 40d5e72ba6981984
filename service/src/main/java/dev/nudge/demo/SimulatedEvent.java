package dev.nudge.demo;

import dev.nudge.event.CustomerEvent;

/**
 * One delivery of the simulated stream: the event, and the simulated instant it reaches the service, which a demo
 * waits for to replay the stream in (scaled) real time.
 *
 * @param arrivalMillis event time at which it is delivered: the event's own time unless it is late or a duplicate
 * @param event         what the shopper did
 * @param kind          whether this delivery is in order, late, or a repeat of an earlier one
 */
public record SimulatedEvent(long arrivalMillis, CustomerEvent event, Kind kind) {

    /** How a delivery differs from a perfect, in-order, exactly-once stream. */
    public enum Kind {
        IN_ORDER, LATE, DUPLICATE
    }
}
