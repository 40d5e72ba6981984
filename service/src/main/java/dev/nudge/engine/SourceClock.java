package dev.nudge.engine;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The newest event time of each watched event type, to tell when one of them has gone quiet. One clock may serve
 * several partitions' sessions, so that a partition with few customers does not take its own silence for an outage.
 */
public final class SourceClock {

    private final Map<String, Long> maxLagMillis;
    private final Map<String, Long> newest = new HashMap<>();
    private long newestAny = Long.MIN_VALUE;

    /** {@code maxLag}: per event type, how far its newest event may lag the newest of all before it counts as quiet. */
    public SourceClock(Map<String, Duration> maxLag) {
        this.maxLagMillis = new HashMap<>();
        maxLag.forEach((type, d) -> maxLagMillis.put(type, d.toMillis()));
    }

    public void observe(String type, long eventTime) {
        newestAny = Math.max(newestAny, eventTime);
        if (maxLagMillis.containsKey(type)) {
            newest.merge(type, eventTime, Math::max);
        }
    }

    /** The watched types quiet now; one never seen yet is not quiet: a shop may not send it at all. */
    public Set<String> quiet() {
        Set<String> out = new TreeSet<>();
        newest.forEach((type, t) -> {
            if (newestAny - t > maxLagMillis.get(type)) {
                out.add(type);
            }
        });
        return out;
    }

    /** The newest event time of {@code type}, or {@link Long#MIN_VALUE}. */
    public long newest(String type) {
        return newest.getOrDefault(type, Long.MIN_VALUE);
    }
}
