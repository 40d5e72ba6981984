package dev.nudge.demo;

import java.util.SplittableRandom;

/**
 * Draws a fixed number of session start times over a period, in ascending order and one at a time, following a
 * shop's daily traffic curve (quiet nights, a lunch bump, an evening peak), so no list of arrivals is ever held.
 */
final class ArrivalCurve {

    /** Relative traffic per hour of the day (UTC stands in for the shop's local time). */
    private static final double[] HOURLY = {3, 2, 1.5, 1, 1, 1.5, 3, 5, 7, 8, 9, 10,
            12, 11, 10, 10, 11, 13, 16, 19, 20, 17, 11, 6};
    private static final long HOUR = 3_600_000L;
    private static final int MAX_BUCKETS = 100_000;

    private final long start;
    private final long bucketMillis;
    private final double[] cumulative;
    private final SplittableRandom rng;
    private long remaining;
    private double last;

    ArrivalCurve(long startMillis, long spanMillis, long arrivals, SplittableRandom rng) {
        this.start = startMillis;
        int buckets = (int) Math.max(1, Math.min(MAX_BUCKETS, spanMillis / 60_000L));
        this.bucketMillis = Math.max(1, spanMillis / buckets);
        this.cumulative = new double[buckets];
        double sum = 0;
        for (int b = 0; b < buckets; b++) {
            sum += rate(startMillis + b * bucketMillis + bucketMillis / 2);
            cumulative[b] = sum;
        }
        for (int b = 0; b < buckets; b++) {
            cumulative[b] /= sum;
        }
        this.rng = rng;
        this.remaining = arrivals;
    }

    /** Traffic at an instant, interpolated between hours so the curve has no steps. */
    static double rate(long millis) {
        double hour = Math.floorMod(millis, 24 * HOUR) / (double) HOUR;
        int h = (int) hour;
        double f = hour - h;
        return HOURLY[h] * (1 - f) + HOURLY[(h + 1) % 24] * f;
    }

    boolean hasNext() {
        return remaining > 0;
    }

    /**
     * The next arrival: the smallest of the remaining uniform draws on [last, 1) is
     * {@code last + (1 - last)(1 - V^(1/k))} (order statistics), mapped through the curve's inverse distribution.
     */
    long next() {
        double v = 1.0 - rng.nextDouble(); // in (0, 1]
        last = last + (1 - last) * (1 - Math.pow(v, 1.0 / remaining));
        remaining--;
        return start + inverse(last);
    }

    private long inverse(double u) {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        double below = lo == 0 ? 0 : cumulative[lo - 1];
        double width = cumulative[lo] - below;
        double within = width <= 0 ? 0 : (u - below) / width;
        return lo * bucketMillis + (long) (Math.min(1.0, within) * bucketMillis);
    }
}
