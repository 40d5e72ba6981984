package dev.nudge.http;

import dev.nudge.config.IngestConfig;

import java.util.HashMap;
import java.util.Map;

/**
 * Each write key's pace ({@code ingest.keys.<name>.rate} events a second): a token bucket per key holding ten
 * seconds of events, so a leaked browser key cannot flood the events topic, and a well-behaved sender that bursts
 * is slowed (429 with Retry-After, which the Segment and RudderStack libraries honour) rather than cut off.
 */
final class KeyRates {

    /** Seconds of events a key may send at once. */
    static final int BURST_SECONDS = 10;

    /** What a request of some events may do now. */
    sealed interface Verdict permits Go, Wait, TooMany {
    }

    record Go() implements Verdict {
    }

    /** Not now: in this many seconds there will be room. */
    record Wait(long seconds) implements Verdict {
    }

    /** More events at once than the key's bucket holds: never, as one request. */
    record TooMany(int most) implements Verdict {
    }

    private final Map<String, double[]> buckets = new HashMap<>();

    /** Takes {@code events} tokens of {@code key}'s bucket if they are all there. */
    synchronized Verdict take(IngestConfig.WriteKey key, int events, long nowMillis) {
        if (key.rate() <= 0) {
            return new Go();
        }
        double capacity = key.rate() * BURST_SECONDS;
        if (events > capacity) {
            return new TooMany((int) capacity);
        }
        // {tokens, last refill}
        double[] b = buckets.computeIfAbsent(key.name(), k -> new double[]{capacity, nowMillis});
        b[0] = Math.min(capacity, b[0] + Math.max(0, nowMillis - b[1]) * key.rate() / 1000.0);
        b[1] = Math.max(b[1], nowMillis);
        if (b[0] >= events) {
            b[0] -= events;
            return new Go();
        }
        return new Wait((long) Math.ceil((events - b[0]) / key.rate()));
    }
}
