package dev.nudge.engine;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The newest event time of each watched event type, to tell when one of them has gone quiet. One clock may serve
 * several partitions' sessions, so that a partition with few customers does not take its own silence for an outage.
 */
public final class SourceClock {

    private final Map<String, Long> maxLagMillis;
    // written by the engine's thread, read by the metrics' scrape: concurrent, volatile
    private final Map<String, Long> newest = new ConcurrentHashMap<>();
    private volatile long newestAny = Long.MIN_VALUE;
    private volatile Set<String> quiet = Set.of();
    private long generation;

    /** {@code maxLag}: per event type, how far its newest event may lag the newest of all before it counts as quiet. */
    public SourceClock(Map<String, Duration> maxLag) {
        this.maxLagMillis = new HashMap<>();
        maxLag.forEach((type, d) -> maxLagMillis.put(type, d.toMillis()));
    }

    public void observe(String type, long eventTime) {
        if (eventTime > newestAny) {
            newestAny = eventTime;
        }
        if (maxLagMillis.containsKey(type)) {
            newest.merge(type, eventTime, Math::max);
        }
        // every event may end or start a silence, but the set changes rarely: build a new one only then
        boolean changed = false;
        for (Map.Entry<String, Long> e : newest.entrySet()) {
            changed |= isQuiet(e.getKey(), e.getValue()) != quiet.contains(e.getKey());
        }
        if (changed) {
            Set<String> now = new TreeSet<>();
            newest.forEach((t, time) -> {
                if (isQuiet(t, time)) {
                    now.add(t);
                }
            });
            quiet = Set.copyOf(now);
            generation++;
        }
    }

    private boolean isQuiet(String type, long newestOfType) {
        return newestAny - newestOfType > maxLagMillis.get(type);
    }

    /** The watched types quiet now; one never seen yet is not quiet: a shop may not send it at all. */
    public Set<String> quiet() {
        return quiet;
    }

    /** Changes each time {@link #quiet()} does, so sessions need not compare sets on every event. */
    public long generation() {
        return generation;
    }

    /**
     * How far the newest event of watched {@code type} lags the newest event of any type, in event time: what
     * {@code engine.source-max-lag} limits. 0 while the type has not been seen (it is not quiet then either).
     */
    public long lagMillis(String type) {
        Long newestOfType = newest.get(type);
        return newestOfType == null ? 0 : Math.max(0, newestAny - newestOfType);
    }

    /** The newest event time of {@code type}, or {@link Long#MIN_VALUE}. */
    public long newest(String type) {
        return newest.getOrDefault(type, Long.MIN_VALUE);
    }
}
