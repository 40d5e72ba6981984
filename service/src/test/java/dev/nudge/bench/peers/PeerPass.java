package dev.nudge.bench.peers;

import dev.nudge.event.CustomerEvent;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.function.Supplier;

/**
 * One pass of one engine over the whole stream: timed, or untimed with live heap sampled every so many events (used
 * heap right after {@link System#gc()}, as the engine benchmark's probe measures it).
 *
 * @param nanos      time to feed every delivery (the run-on after the stream is not timed)
 * @param cpuNanos   the feeding thread's CPU time for the same: steadier than wall time on a shared machine
 * @param mails      what the engine decided, once event time ran on
 * @param liveBefore live heap before the engine was made (the stream and the compiled rules included), 0 if timed
 * @param livePeak   highest live heap sampled while it ran, 0 if timed
 */
record PeerPass(long events, long nanos, long cpuNanos, List<Mail> mails, long liveBefore, long livePeak) {

    double eventsPerSecond() {
        return events / (nanos / 1e9);
    }

    double eventsPerCpuSecond() {
        return events / (cpuNanos / 1e9);
    }

    /** Live heap the engine added at its peak, above what was there before it started. */
    long heapPeakAdded() {
        return Math.max(0, livePeak - liveBefore);
    }

    static PeerPass timed(Supplier<PeerEngine> make, PeerStream stream) {
        try (PeerEngine engine = make.get()) {
            List<CustomerEvent> events = stream.events();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpu = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            for (CustomerEvent e : events) {
                engine.accept(e);
            }
            long nanos = System.nanoTime() - start;
            cpu = threads.getCurrentThreadCpuTime() - cpu;
            return new PeerPass(events.size(), nanos, cpu, engine.finish(stream.end()), 0, 0);
        }
    }

    static PeerPass heap(Supplier<PeerEngine> make, PeerStream stream, long sampleEvery) {
        long before = liveBytes();
        long peak = before;
        try (PeerEngine engine = make.get()) {
            long n = 0;
            for (CustomerEvent e : stream.events()) {
                engine.accept(e);
                if (++n % sampleEvery == 0) {
                    peak = Math.max(peak, liveBytes());
                }
            }
            peak = Math.max(peak, liveBytes());
            return new PeerPass(n, 0, 0, engine.finish(stream.end()), before, peak);
        }
    }

    private static long liveBytes() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
