package dev.nudge.http;

import dev.nudge.config.IngestConfig;
import dev.nudge.send.RateLimit;

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

    private final Map<String, RateLimit> buckets = new HashMap<>();

    /** Takes {@code events} tokens of {@code key}'s bucket if they are all there. */
    synchronized Verdict take(IngestConfig.WriteKey key, int events, long nowMillis) {
        if (key.rate() <= 0) {
            return new Go();
        }
        RateLimit bucket = buckets.computeIfAbsent(key.name(),
                k -> new RateLimit(key.rate() / 1000.0, key.rate() * BURST_SECONDS, nowMillis));
        if (events > bucket.capacity()) {
            return new TooMany((int) bucket.capacity());
        }
        if (bucket.tryTake(events, nowMillis)) {
            return new Go();
        }
        return new Wait((long) Math.ceil(bucket.millisUntil(events, nowMillis) / 1000.0));
    }
}
