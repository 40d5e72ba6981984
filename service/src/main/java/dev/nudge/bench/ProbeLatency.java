package dev.nudge.bench;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** End-to-end latencies of probe events: from the moment one is sent to the moment its output is read. */
final class ProbeLatency {

    private final Map<String, Long> sentNanos = new ConcurrentHashMap<>();
    private long[] micros = new long[1024];
    private int count;
    private volatile boolean recording;

    void sent(String probeId) {
        sentNanos.put(probeId, System.nanoTime());
    }

    /** Called by the reader for every id in an output record; unknown ids are ignored. */
    synchronized void seen(String probeId) {
        Long sent = sentNanos.remove(probeId);
        if (sent == null || !recording) {
            return;
        }
        if (count == micros.length) {
            micros = Arrays.copyOf(micros, count * 2);
        }
        micros[count++] = (System.nanoTime() - sent) / 1_000;
    }

    /** Only probes seen after the warm-up count. */
    void startRecording() {
        recording = true;
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
        return sorted[Math.min(count - 1, (int) Math.ceil(q * count) - 1)] / 1000.0;
    }

    int pending() {
        return sentNanos.size();
    }
}
