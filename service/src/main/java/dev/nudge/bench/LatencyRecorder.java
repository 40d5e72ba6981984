package dev.nudge.bench;

import java.util.Arrays;

/**
 * End-to-end latencies read off output records: from the {@code nudge-cause-time} header (when the event that made
 * the output due was written to Kafka) to the moment the output is read. Only records read after the warm-up count.
 */
final class LatencyRecorder {

    private long[] micros = new long[4096];
    private int count;
    private volatile boolean recording;

    synchronized void seen(long causeMillis, long nowMillis) {
        if (!recording) {
            return;
        }
        if (count == micros.length) {
            micros = Arrays.copyOf(micros, count * 2);
        }
        micros[count++] = Math.max(0, nowMillis - causeMillis) * 1000;
    }

    void startRecording() {
        recording = true;
    }

    boolean isRecording() {
        return recording;
    }

    synchronized int count() {
        return count;
    }

    /** The latency in milliseconds at quantile {@code q} (0.5, 0.99) of what was recorded. */
    synchronized double quantileMillis(double q) {
        if (count == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(micros, count);
        Arrays.sort(sorted);
        return Latencies.nearestRank(sorted, q) / 1000.0;
    }
}
