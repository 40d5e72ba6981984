package dev.nudge.bench;

import dev.nudge.engine.RuleSet;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/** The engine benchmark's table, with the workload and the machine it ran on so numbers can be compared later. */
public record EngineReport(BenchOptions o, RuleSet rules, long compileNanos, EnginePass.Result warmup, long generatorNanos,
                    EnginePass.Result r, EnginePass.Result heap, double loadBefore) {

    private static final double MB = 1024 * 1024;

    void print(PrintStream out) {
        out.println();
        out.printf("rules         %s: %d files, version %s, compiled in %.1f s%n", o.rulesDir(), rules.files().size(),
                rules.contentHash(), compileNanos / 1e9);
        out.printf("workload      %,d events from %,d customers over %s of event time, seed %d,%n", r.events(),
                o.customers(), o.span(), o.seed());
        out.printf("              %.1f%% duplicates, %.1f%% up to 30 s late; lateness %s, dedup window %s%n",
                100 * o.duplicateRate(), 100 * o.lateRate(), o.allowedLateness(), o.dedupWindow());
        out.printf("partitions    %d (murmur2(customerId) mod %d, as Kafka's producer), all on one thread%n",
                o.partitions(), o.partitions());
        out.printf("machine       %s%n", machine(loadBefore));
        out.printf("jvm options   %s%n", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        if (warmup != null) {
            out.printf("warm-up       %,d events (other seed), %.1f s, %,.0f events/s%n", warmup.events(),
                    warmup.nanos() / 1e9, warmup.eventsPerSecond());
        }
        out.println();
        out.printf("%-34s %12s %9s %12s%n", "throughput", "events", "seconds", "events/s");
        double genSeconds = generatorNanos / 1e9;
        out.printf("%-34s %,12d %9.2f %,12.0f%n", "generator + partitioner alone", r.events(), genSeconds,
                r.events() / genSeconds);
        out.printf("%-34s %,12d %9.2f %,12.0f%n", "engine, generator included", r.events(), r.nanos() / 1e9,
                r.eventsPerSecond());
        double engineSeconds = r.nanos() / 1e9 - genSeconds;
        out.printf("%-34s %,12d %9.2f %,12.0f%n", "engine alone (difference)", r.events(), engineSeconds,
                r.events() / engineSeconds);
        out.printf("%-34s %,12d %9.2f %,12.0f%n", "engine, per CPU-second of its thread", r.events(),
                r.cpuNanos() / 1e9, r.events() / (r.cpuNanos() / 1e9));
        if (r.processCpuNanos() > 0) {
            out.printf("%-34s %,12d %9.2f %,12.0f%n", "engine, per CPU-second of the JVM", r.events(),
                    r.processCpuNanos() / 1e9, r.events() / (r.processCpuNanos() / 1e9));
        }
        out.printf("target %,.0f events/s with the generator included: %s%n", EngineBenchmark.TARGET_EVENTS_PER_SECOND,
                r.eventsPerSecond() >= EngineBenchmark.TARGET_EVENTS_PER_SECOND ? "met" : "NOT met");
        out.printf("GC in the timed pass: %,d collections, %.2f s (%.0f%% of the run)%n",
                r.gcCount(), r.gcMillis() / 1e3, 100.0 * r.gcMillis() * 1e6 / r.nanos());
        out.printf("events by partition: %s%n", java.util.Arrays.stream(r.perPartition())
                .mapToObj(n -> String.format("%,d", n)).collect(Collectors.joining(" / ")));
        out.printf("duplicates dropped %,d; late (behind the watermark) %,d; rule failures %,d%n",
                r.duplicates(), r.late(), r.failed());
        out.println();
        out.printf("%-50s %12s %12s %12s%n", "mails by campaign (and what did not become one)", "during run",
                "after +4 d", "total");
        long during = 0;
        long after = 0;
        for (Map.Entry<String, long[]> e : r.decisions().entrySet()) {
            long[] n = e.getValue();
            out.printf("%-50s %,12d %,12d %,12d%n", e.getKey(), n[0], n[1], n[0] + n[1]);
            if (!e.getKey().contains("[")) {
                during += n[0];
                after += n[1];
            }
        }
        out.printf("%-50s %,12d %,12d %,12d%n", "mails, all campaigns", during, after, during + after);
        out.println();
        if (heap != null) {
            out.printf("live heap: used heap right after System.gc(), sampled every %,d events in a second, untimed%n"
                    + "pass over the same events (%d samples; same decisions as the timed pass: %s)%n",
                    o.heapSampleEvery(), heap.heapSamples(), heap.sameDecisions(r) ? "yes" : "NO");
            out.printf("  %-32s %9.1f MB%n", "before the run (rules loaded)", heap.liveBefore() / MB);
            out.printf("  %-32s %9.1f MB  (at event %,d)%n", "peak during the run", heap.livePeak() / MB,
                    heap.livePeakAt());
            out.printf("  %-32s %9.1f MB%n", "after +4 days of event time", heap.liveAfter() / MB);
        } else {
            out.println("live heap: not measured (--heap-sample-every 0)");
        }
        out.printf("facts that expire: %,d at the end of the stream, %,d after +4 days%s%n", r.factsAtEnd(),
                r.factsAfter(), r.factsAfter() == 0 ? "" : "  <-- facts that never expire: a leak");
        if (HeapProbe.explicitGcWarning() != null) {
            out.println("warning: " + HeapProbe.explicitGcWarning());
        }
    }

    /** The machine a stage ran on, with the load before and after it: numbers mean little without it. */
    public static String machine(double loadBefore) {
        Runtime rt = Runtime.getRuntime();
        String gcs = ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                .collect(Collectors.joining(", "));
        return String.format("%s, %d cores, %s %s, Java %s, %s, max heap %.0f MB, load average %.2f before / %.2f after",
                cpuModel(), rt.availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.version"), gcs, rt.maxMemory() / MB, loadBefore, loadAverage());
    }

    /** The 1-minute load average: a shared machine's other work shows here and in the numbers. */
    public static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
        } catch (IOException | RuntimeException e) {
            return "unknown CPU";
        }
    }
}
