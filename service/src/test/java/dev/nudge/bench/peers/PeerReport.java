package dev.nudge.bench.peers;

import dev.nudge.bench.EngineReport;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The peers' table: the workload and machine, then events/s, live heap and mails per engine, with ratios to Esper. */
record PeerReport(PeerBenchmark o, PeerStream stream, int oracleMails, int oracleDue, long oracleNanos,
                  Map<String, List<PeerPass>> timed, Map<String, Agreement> agreement, Agreement nudge,
                  Map<String, PeerPass> heap, double loadBefore) {

    private static final double MB = 1024 * 1024;
    private static final Map<String, String> LABELS = Map.of(
            "esper", "Esper 9.0 (EPL)",
            "drools", "plain Drools 10.2 (DRL, no guards)",
            "nudge", "Nudge's engine (shipped rules)");

    void print(PrintStream out) {
        out.println();
        out.println("== peers: the same stream and triggers through Esper, plain Drools and Nudge's engine ==");
        out.printf("workload      %,d deliveries (%.1f%% repeated, none late) from %,d customers over %s, seed %d%n",
                stream.size(), 100 * o.duplicates, o.customers, o.span, o.seed);
        out.printf("triggers      cart 30 min, browse 3 views in an hour, 1 mail per customer in 16 h, dedup %s%n",
                o.dedupWindow);
        out.printf("oracle        %,d mails (%,d due before the cap), computed in %.2f s%n", oracleMails, oracleDue,
                oracleNanos / 1e9);
        out.printf("machine       %s%n", machine());
        out.printf("jvm options   %s%n", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        out.printf("rounds        %d, alternating the engines' order; each engine fed from memory, one thread%n",
                timed.values().iterator().next().size());
        out.println();
        double esper = timed.containsKey("esper") ? median(timed.get("esper"), false) : Double.NaN;
        double esperCpu = timed.containsKey("esper") ? median(timed.get("esper"), true) : Double.NaN;
        double esperHeap = heap.containsKey("esper") ? heap.get("esper").heapPeakAdded() : Double.NaN;
        out.printf("%-36s %10s %21s %9s %11s %9s %8s %9s %7s  %s%n", "engine", "events/s", "range (per round)",
                "vs Esper", "per CPU-s", "vs Esper", "heap MB", "vs Esper", "mails", "vs oracle");
        for (Map.Entry<String, List<PeerPass>> e : timed.entrySet()) {
            List<PeerPass> passes = e.getValue();
            double med = median(passes, false);
            double cpu = median(passes, true);
            double min = passes.stream().mapToDouble(PeerPass::eventsPerSecond).min().orElse(0);
            double max = passes.stream().mapToDouble(PeerPass::eventsPerSecond).max().orElse(0);
            PeerPass h = heap.get(e.getKey());
            Agreement a = agreement.get(e.getKey());
            out.printf("%-36s %,10.0f %,10.0f-%,-10.0f %9s %,11.0f %9s %8s %9s %,7d  %s%n", LABELS.get(e.getKey()), med,
                    min, max, ratio(med, esper), cpu, ratio(cpu, esperCpu),
                    h == null ? "-" : String.format("%.1f", h.heapPeakAdded() / MB),
                    h == null ? "-" : ratio(h.heapPeakAdded(), esperHeap), a.got(),
                    a.equal() ? "equal" : a.missing().size() + " missing, " + a.extra().size() + " extra");
        }
        for (Map.Entry<String, List<PeerPass>> e : timed.entrySet()) {
            out.printf("  %-34s %s%n", e.getKey() + ", events/s by round:", e.getValue().stream()
                    .map(p -> String.format("%,.0f", p.eventsPerSecond())).collect(Collectors.joining(" / ")));
        }
        out.println();
        out.println("events/s: median of the rounds' passes over the whole stream (deduplication included; the run-on");
        out.println("after the stream and each engine's set-up are not timed); per CPU-s: the same per second of the");
        out.println("feeding thread's CPU time (GC and JIT threads not counted), steadier on a busy machine. heap: live");
        out.println("heap (used right after System.gc()) at its highest while the engine ran, less what was live");
        out.println("before it started (the stream held in memory and the compiled rules).");
        heap.values().stream().findFirst().ifPresent(h -> out.printf("live heap before the engines: %.1f MB%n",
                h.liveBefore() / MB));
        if (nudge != null) {
            out.println();
            out.printf("Nudge's engine against the oracle (its guards and other triggers are not in the oracle): %s%n",
                    nudge.equal() ? "equal" : nudge.missing().size() + " mails missing, " + nudge.extra().size()
                            + " extra");
            nudge.reasons().forEach((why, n) -> out.printf("  %,6d  %s%n", n, why));
            nudge.examples(3).forEach(s -> out.println("  e.g. " + s));
        }
        for (Map.Entry<String, Agreement> e : agreement.entrySet()) {
            Agreement a = e.getValue();
            if (!"nudge".equals(e.getKey()) && !a.equal()) {
                out.printf("ERROR: %s differs from the oracle: %d missing, %d extra%n", LABELS.get(e.getKey()),
                        a.missing().size(), a.extra().size());
                a.examples(5).forEach(s -> out.println("  " + s));
            }
        }
    }

    private static double median(List<PeerPass> passes, boolean perCpuSecond) {
        double[] v = passes.stream().mapToDouble(perCpuSecond ? PeerPass::eventsPerCpuSecond
                : PeerPass::eventsPerSecond).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String ratio(double x, double esper) {
        return Double.isNaN(esper) || esper == 0 ? "-" : String.format("%.2fx", x / esper);
    }

    private String machine() {
        return EngineReport.machine(loadBefore);
    }

    static double loadAverage() {
        return EngineReport.loadAverage();
    }
}
