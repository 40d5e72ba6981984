package dev.nudge.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * Live heap measured the one way that means something on a running JVM: heap used right after a full collection
 * forced with {@link System#gc()}. It also counts the time those forced collections took, so that a timed run can
 * leave them out of its GC figures.
 */
final class HeapProbe {

    private long peak;
    private long peakAtEvent;
    private int samples;
    private long forcedGcCount;
    private long forcedGcMillis;

    /** Heap used after a full collection, in bytes. */
    long liveBytes() {
        long count = gcCount();
        long millis = gcMillis();
        System.gc();
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        forcedGcCount += gcCount() - count;
        forcedGcMillis += gcMillis() - millis;
        return used;
    }

    /** Takes a sample during a run and keeps the highest. */
    void sample(long atEvent) {
        long live = liveBytes();
        samples++;
        if (live > peak) {
            peak = live;
            peakAtEvent = atEvent;
        }
    }

    long peak() {
        return peak;
    }

    long peakAtEvent() {
        return peakAtEvent;
    }

    int samples() {
        return samples;
    }

    long forcedGcCount() {
        return forcedGcCount;
    }

    long forcedGcMillis() {
        return forcedGcMillis;
    }

    /** Collections of every collector so far (young and old). */
    static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    /** Milliseconds spent in collections so far, as the collectors report it (pauses, and G1's concurrent cycles). */
    static long gcMillis() {
        long ms = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, gc.getCollectionTime());
        }
        return ms;
    }

    /** Why forced collections might not measure anything on this JVM, or null when they do. */
    static String explicitGcWarning() {
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.contains("DisableExplicitGC") && arg.startsWith("-XX:+")) {
                return "-XX:+DisableExplicitGC is set: System.gc() does nothing and heap figures include garbage";
            }
            if (arg.contains("ExplicitGCInvokesConcurrent") && arg.startsWith("-XX:+")) {
                return "-XX:+ExplicitGCInvokesConcurrent is set: heap figures may include garbage";
            }
        }
        return null;
    }
}
