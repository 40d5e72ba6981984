package dev.nudge.bench.peers;

import dev.nudge.config.Settings;
import dev.nudge.engine.RuleCompiler;
import dev.nudge.engine.RuleError;
import dev.nudge.engine.RuleSet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code deploy/nudge bench-peers}: Nudge's engine against Esper and plain Drools on one generated stream, back to back
 * in alternating rounds in one JVM, each engine's mails checked against {@link TriggerOracle}, so that the ratios are
 * the project's own. Lives in test code: Esper is a test dependency and the product does not ship it.
 */
@Command(name = "bench-peers", mixinStandardHelpOptions = true,
        description = "Nudge's engine against Esper 9 (EPL) and plain Drools (DRL) on one simulated stream: the same "
                + "triggers (cart 30 min, browse 3 views in an hour, a 16 h cap, dedup), every engine's mails checked "
                + "against a plain-Java oracle, timed back to back in alternating rounds. Exit code 1 when Esper's or "
                + "plain Drools' mails differ from the oracle's.",
        footer = {"", "See docs/benchmark.md, \"Peers: Esper and plain Drools\"."})
public final class PeerBenchmark implements Callable<Integer> {

    @Option(names = "--events", defaultValue = "1000000", description = "Deliveries, duplicates included (default: ${DEFAULT-VALUE}).")
    long events;
    @Option(names = "--customers", defaultValue = "100000", description = "Simulated customers (default: ${DEFAULT-VALUE}).")
    int customers;
    @Option(names = "--span", defaultValue = "1d", converter = DurationConverter.class,
            description = "Simulated event time, e.g. 1d, 6h (default: ${DEFAULT-VALUE}).")
    Duration span;
    @Option(names = "--seed", defaultValue = "42", description = "Seed of the simulated shoppers (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--duplicates", defaultValue = "0.01", description = "Share of deliveries repeated (default: ${DEFAULT-VALUE}).")
    double duplicates;
    @Option(names = "--rounds", defaultValue = "4", description = "Timed rounds; the engines' order alternates (default: ${DEFAULT-VALUE}).")
    int rounds;
    @Option(names = "--warmup", defaultValue = "200000", description = "Deliveries of a warm-up stream (another seed) each engine runs twice first, 0 for none (default: ${DEFAULT-VALUE}).")
    long warmup;
    @Option(names = "--heap-sample-every", defaultValue = "100000",
            description = "Deliveries between live-heap samples in an untimed pass per engine, 0 for none (default: ${DEFAULT-VALUE}).")
    long heapSampleEvery;
    @Option(names = "--engines", split = ",", defaultValue = "esper,drools,nudge",
            description = "Engines to run: esper, drools, nudge (default: ${DEFAULT-VALUE}).")
    List<String> engines;
    @Option(names = "--rules", defaultValue = "rules", description = "Nudge's rules folder (default: ${DEFAULT-VALUE}).")
    Path rulesDir;
    @Option(names = "--lateness", defaultValue = "1m", converter = DurationConverter.class,
            description = "Nudge's allowed lateness, as engine.allowed-lateness (default: ${DEFAULT-VALUE}).")
    Duration lateness;
    @Option(names = "--dedup-window", defaultValue = "24h", converter = DurationConverter.class,
            description = "How long every engine remembers event ids, as engine.dedup-window (default: ${DEFAULT-VALUE}).")
    Duration dedupWindow;

    public static void main(String[] args) {
        System.exit(new CommandLine(new PeerBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        for (String name : engines) {
            if (!List.of("esper", "drools", "nudge").contains(name)) {
                System.err.println("unknown engine '" + name + "' (known: esper, drools, nudge)");
                return 2;
            }
        }
        if (rounds < 1 || events < 1 || customers < 1) {
            System.err.println("--rounds, --events and --customers must be at least 1");
            return 2;
        }
        RuleSet rules = null;
        if (engines.contains("nudge")) {
            RuleCompiler.Result compiled = new RuleCompiler(Clock.systemUTC()).compile(rulesDir);
            if (!compiled.ok()) {
                out.println("the rules in " + rulesDir + " do not compile:");
                compiled.errors().forEach(e -> out.println("  " + e));
                return 2;
            }
            rules = compiled.rules();
        }
        long dedup = dedupWindow.toMillis();
        double loadBefore = PeerReport.loadAverage();
        if (warmup > 0) {
            int warmCustomers = (int) Math.max(1, Math.round(customers * Math.min(1.0, warmup / (double) events)));
            PeerStream warm = PeerStream.generate(seed + 1, warmCustomers, warmup, span, duplicates);
            out.printf("warming up: %,d deliveries of another seed through each engine, twice...%n", warm.size());
            // twice: Esper's generated classes and Drools' network code are compiled by the JIT on first heavy use
            for (int i = 0; i < 2; i++) {
                for (Map.Entry<String, Supplier<PeerEngine>> e : makers(rules, warm).entrySet()) {
                    PeerPass.timed(e.getValue(), warm);
                }
            }
        }
        out.printf("generating %,d deliveries from %,d customers over %s (seed %d)...%n", events, customers, span, seed);
        PeerStream stream = PeerStream.generate(seed, customers, events, span, duplicates);
        long t = System.nanoTime();
        List<Mail> due = TriggerOracle.due(stream.events(), dedup);
        List<Mail> expected = TriggerOracle.capped(due);
        long oracleNanos = System.nanoTime() - t;
        Map<String, Supplier<PeerEngine>> makers = makers(rules, stream);
        Map<String, List<PeerPass>> timed = new LinkedHashMap<>();
        makers.keySet().forEach(k -> timed.put(k, new ArrayList<>()));
        Map<String, Agreement> agreement = new LinkedHashMap<>();
        boolean ok = true;
        for (int r = 0; r < rounds; r++) {
            List<String> order = new ArrayList<>(makers.keySet());
            if (r % 2 == 1) {
                java.util.Collections.reverse(order);
            }
            out.printf("round %d of %d: %s%n", r + 1, rounds, String.join(", ", order));
            for (String name : order) {
                PeerPass pass = PeerPass.timed(makers.get(name), stream);
                timed.get(name).add(pass);
                Agreement a = Agreement.of(expected, pass.mails());
                if (!"nudge".equals(name)) {
                    ok &= a.equal();
                }
                agreement.putIfAbsent(name, a);
                if (!a.equals(agreement.get(name))) {
                    out.println("ERROR: " + name + " decided differently in round " + (r + 1));
                    ok = false;
                }
            }
        }
        Agreement nudge = null;
        if (makers.containsKey("nudge")) {
            try (NudgePeer peer = new NudgePeer(rules, lateness, dedup, stream.events())) {
                stream.events().forEach(peer::accept);
                nudge = Agreement.explained(expected, due, peer.decided(stream.end()));
            }
        }
        Map<String, PeerPass> heap = new LinkedHashMap<>();
        if (heapSampleEvery > 0) {
            out.printf("measuring live heap (System.gc() every %,d deliveries, untimed)...%n", heapSampleEvery);
            for (Map.Entry<String, Supplier<PeerEngine>> e : makers.entrySet()) {
                heap.put(e.getKey(), PeerPass.heap(e.getValue(), stream, heapSampleEvery));
            }
        }
        new PeerReport(this, stream, expected.size(), due.size(), oracleNanos, timed, agreement, nudge, heap,
                loadBefore).print(out);
        return ok ? 0 : 1;
    }

    private Map<String, Supplier<PeerEngine>> makers(RuleSet rules, PeerStream stream) {
        long dedup = dedupWindow.toMillis();
        Map<String, Supplier<PeerEngine>> m = new LinkedHashMap<>();
        for (String name : engines) {
            switch (name) {
                case "esper" -> m.put(name, () -> new EsperPeer(stream.start(), dedup));
                case "drools" -> m.put(name, () -> new DroolsPeer(stream.start(), dedup));
                case "nudge" -> m.put(name, () -> new NudgePeer(rules, lateness, dedup, stream.events()));
                default -> throw new IllegalArgumentException(name);
            }
        }
        return m;
    }

    /** Reads {@code 1d}, {@code 90m} or {@code PT90M} the way the settings file does. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Settings.of(Map.of("d", value)).duration("d", null);
        }
    }
}
