package dev.nudge.demo;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The time of {@code nudge run}: the wall clock until the simulated shoppers start, then their time, which runs
 * {@code demo.speed} times as fast from where they began (possibly hours ahead of the wall clock). What a browser
 * sends to the same run is received on this clock, so the demo shop's events are neither taken for stale nor refused
 * as ahead of the server.
 */
public final class DemoClock extends Clock {

    /** Event time {@code eventMillis} was the wall clock's {@code wallMillis}; from there it runs {@code speed} x. */
    private record Anchor(long wallMillis, long eventMillis, double speed) {
    }

    private final Clock wall;
    private volatile Anchor anchor;

    public DemoClock() {
        this(Clock.systemUTC());
    }

    public DemoClock(Clock wall) {
        this.wall = wall;
        this.anchor = new Anchor(0, 0, 1);
    }

    /** From now on event time {@code eventMillis} is wall time {@code wallMillis}, and runs {@code speed} times as fast. */
    public void anchor(long wallMillis, long eventMillis, double speed) {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("a clock speed must be above 0, not " + speed);
        }
        anchor = new Anchor(wallMillis, eventMillis, speed);
    }

    /** How many times faster than the wall clock this clock runs. */
    public double speed() {
        return anchor.speed();
    }

    @Override
    public long millis() {
        Anchor a = anchor;
        return a.eventMillis() + (long) ((wall.millis() - a.wallMillis()) * a.speed());
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the demo clock is UTC only");
    }
}
