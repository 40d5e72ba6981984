package dev.nudge.live;

import java.util.Arrays;

/**
 * Event to decision latency of one campaign over its most recent {@link #KEPT} decisions: a ring of samples, so a
 * long run keeps a fixed amount of memory and the figures follow what happens now.
 */
final class Latency {

    static final int KEPT = 1024;

    /** What the page shows: decisions measured in all, and the median, 95th percentile and maximum of those kept. */
    public record Summary(long count, Long p50Millis, Long p95Millis, Long maxMillis) {
    }

    private final long[] ring = new long[KEPT];
    private long count;

    void add(long millis) {
        ring[(int) (count % KEPT)] = Math.max(0, millis);
        count++;
    }

    Summary summary() {
        int n = (int) Math.min(count, KEPT);
        if (n == 0) {
            return new Summary(0, null, null, null);
        }
        long[] sorted = Arrays.copyOf(ring, n);
        Arrays.sort(sorted);
        return new Summary(count, rank(sorted, 0.50), rank(sorted, 0.95), sorted[n - 1]);
    }

    /** The nearest-rank percentile. */
    private static long rank(long[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
