package dev.nudge.engine;

/**
 * The engine's own {@link EventDeduplicator}, opened to the benchmark's peers (test code only), so that Esper, plain
 * Drools and the oracle drop redelivered events exactly as, and with the same memory per id as, Nudge's engine.
 */
public final class PeerDeduplicator {

    private final EventDeduplicator ids;

    public PeerDeduplicator(long windowMillis) {
        this.ids = new EventDeduplicator(windowMillis);
    }

    /** True the first time an id is offered within the window. */
    public boolean firstSeen(String eventId, long eventTime) {
        return ids.firstSeen(eventId, eventTime);
    }

    /** Forgets ids more than the window behind {@code now}. */
    public void evictBefore(long now) {
        ids.evictBefore(now);
    }
}
