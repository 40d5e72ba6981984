package dev.nudge.bench;

import dev.nudge.demo.ShopperSimulator;
import dev.nudge.demo.SimulatedEvent;
import dev.nudge.demo.SimulatorConfig;
import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionKind;
import dev.nudge.engine.PartitionEngine;
import dev.nudge.engine.SourceClock;
import dev.nudge.engine.RuleSet;
import dev.nudge.event.CustomerEvent;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One run of simulated traffic through one {@link PartitionEngine} per partition on the calling thread, the way a
 * consumer thread would feed them, then four days of event time so every pending trigger is decided and every
 * fact can expire.
 */
final class EnginePass {

    /** Event time run on after the stream: longer than the longest fact retention (27 h) and dedup window (24 h). */
    static final Duration RUN_ON = Duration.ofDays(4);

    /** What one pass measured; heap figures are 0 when no probe was given. */
    record Result(long events, long nanos, long cpuNanos, long processCpuNanos, long[] perPartition, long duplicates, long late, long failed,
                  Map<String, long[]> decisions, long factsAtEnd, long factsAfter, long gcCount, long gcMillis,
                  long liveBefore, long livePeak, long livePeakAt, int heapSamples, long liveAfter) {

        double eventsPerSecond() {
            return events / (nanos / 1e9);
        }

        /** Whether another pass decided as many mails per campaign, before and after running on: determinism. */
        boolean sameDecisions(Result other) {
            return decisions.keySet().equals(other.decisions.keySet()) && decisions.entrySet().stream()
                    .allMatch(e -> Arrays.equals(e.getValue(), other.decisions.get(e.getKey())));
        }
    }

    private EnginePass() {
    }

    /** Runs {@code workload}; with a probe, samples live heap every {@code sampleEvery} events outside the timing. */
    static Result run(RuleSet rules, BenchOptions o, SimulatorConfig workload, HeapProbe probe, long sampleEvery) {
        int partitions = o.partitions();
        PartitionEngine[] engines = new PartitionEngine[partitions];
        // one source clock for all partitions, as one engine verticle has
        SourceClock sources = new SourceClock(o.engine().sourceMaxLag());
        for (int p = 0; p < partitions; p++) {
            engines[p] = new PartitionEngine(rules, o.engine(), sources);
        }
        long liveBefore = probe == null ? 0 : probe.liveBytes();
        // campaign -> {decided while events flowed, decided once time ran on}
        Map<String, long[]> decisions = new TreeMap<>();
        long[] perPartition = new long[partitions];
        long events = 0;
        long duplicates = 0;
        long late = 0;
        long failed = 0;
        ShopperSimulator stream = new ShopperSimulator(workload);
        long gcCount = HeapProbe.gcCount();
        long gcMillis = HeapProbe.gcMillis();
        long forcedCount = probe == null ? 0 : probe.forcedGcCount();
        long forcedMillis = probe == null ? 0 : probe.forcedGcMillis();
        long paused = 0;
        long pausedCpu = 0;
        long pausedProcessCpu = 0;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long startCpu = threads.getCurrentThreadCpuTime();
        long startProcessCpu = processCpuNanos();
        long start = System.nanoTime();
        while (stream.hasNext()) {
            SimulatedEvent delivery = stream.next();
            CustomerEvent e = delivery.event();
            int p = o.partitionOf(e.customerId());
            PartitionEngine.Outcome outcome = engines[p].accept(e);
            perPartition[p]++;
            events++;
            duplicates += outcome.duplicate() ? 1 : 0;
            late += outcome.late() ? 1 : 0;
            failed += outcome.failed() ? 1 : 0;
            count(decisions, outcome.decisions(), 0);
            if (probe != null && sampleEvery > 0 && events % sampleEvery == 0) {
                long t = System.nanoTime();
                long cpu = threads.getCurrentThreadCpuTime();
                long processCpu = processCpuNanos();
                probe.sample(events);
                paused += System.nanoTime() - t;
                pausedCpu += threads.getCurrentThreadCpuTime() - cpu;
                pausedProcessCpu += processCpuNanos() - processCpu;
            }
        }
        long nanos = System.nanoTime() - start - paused;
        // this thread's CPU time: unlike wall time, it does not count the time other work on the machine took
        long cpuNanos = threads.getCurrentThreadCpuTime() - startCpu - pausedCpu;
        long processCpu = processCpuNanos() - startProcessCpu - pausedProcessCpu;
        long forcedNow = probe == null ? 0 : probe.forcedGcCount() - forcedCount;
        long forcedMs = probe == null ? 0 : probe.forcedGcMillis() - forcedMillis;
        gcCount = HeapProbe.gcCount() - gcCount - forcedNow;
        gcMillis = HeapProbe.gcMillis() - gcMillis - forcedMs;
        long factsAtEnd = facts(engines);

        long newest = Long.MIN_VALUE;
        for (PartitionEngine engine : engines) {
            newest = Math.max(newest, engine.maxEventTime());
        }
        // every partition to the same instant, as idle ticks would take them once the shop's traffic moves on
        long end = (newest == Long.MIN_VALUE ? workload.start().toEpochMilli() : newest) + RUN_ON.toMillis();
        for (PartitionEngine engine : engines) {
            count(decisions, engine.advanceEventTime(end), 1);
        }
        long factsAfter = facts(engines);
        long liveAfter = probe == null ? 0 : probe.liveBytes();
        Reference.reachabilityFence(engines); // the sessions must still be live while measured
        for (PartitionEngine engine : engines) {
            engine.close();
        }
        return new Result(events, nanos, cpuNanos, processCpu, perPartition, duplicates, late, failed, decisions, factsAtEnd, factsAfter,
                gcCount, gcMillis, liveBefore, probe == null ? 0 : probe.peak(), probe == null ? 0 : probe.peakAtEvent(),
                probe == null ? 0 : probe.samples(), liveAfter);
    }

    /** Times the simulator and partitioner alone on the same workload: the part of the loop that is not the engine. */
    static long generatorNanos(BenchOptions o) {
        long start = System.nanoTime();
        long sink = 0;
        ShopperSimulator stream = new ShopperSimulator(o.workload());
        while (stream.hasNext()) {
            sink += o.partitionOf(stream.next().event().customerId());
        }
        long nanos = System.nanoTime() - start;
        return sink == -1 ? 0 : nanos; // uses sink so the loop cannot be optimised away
    }

    /** CPU time of the whole JVM (GC and compiler threads too), or -1 where the JVM does not say. */
    static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    private static void count(Map<String, long[]> decisions, List<Decision> made, int column) {
        for (Decision d : made) {
            // mails by campaign; everything else by campaign, kind and reason
            String key = d.kind() == DecisionKind.MAIL ? d.campaign() : d.campaign() + " [" + d.kind().code()
                    + (d.reason() == null ? "" : ": " + d.reason()) + "]";
            decisions.computeIfAbsent(key, c -> new long[2])[column]++;
        }
    }

    private static long facts(PartitionEngine[] engines) {
        long n = 0;
        for (PartitionEngine engine : engines) {
            // customers' profiles and consent, and a note that a source is quiet, are kept on purpose
            n += engine.factCount() - engine.factsKeptForGood();
        }
        return n;
    }
}
