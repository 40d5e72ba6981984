package dev.nudge.bench;

import java.util.Arrays;

/** Latencies of the requests of one ingest path, from any thread, and the figures they make with the wall time. */
final class Latencies {

    private long[] nanos = new long[4096];
    private int count;

    synchronized void add(long n) {
        if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, count * 2);
        }
        nanos[count++] = n;
    }

    /** The figures of a run that started at {@code startNanos} and is complete now. */
    synchronized IngestPaths.Figures figures(long startNanos, long events) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        return new IngestPaths.Figures(events, seconds, quantile(sorted, 0.5), quantile(sorted, 0.99), count);
    }

    private static double quantile(long[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : nearestRank(sorted, q) / 1e6;
    }

    /** The value at quantile {@code q} of a sorted, non-empty array, by the nearest-rank method. */
    static long nearestRank(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
