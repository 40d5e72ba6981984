package dev.nudge.bench;

import dev.nudge.engine.RuleCompiler;
import dev.nudge.engine.RuleError;

import java.io.PrintStream;
import java.time.Clock;

/**
 * The engine-only benchmark: simulated shoppers through the compiled rules, one {@code PartitionEngine} per
 * partition on one thread, no broker. Measures events per second after a warm-up, decisions by campaign, live
 * heap during and after the run, and checks that every fact is gone once event time has moved on.
 */
public final class EngineBenchmark implements BenchStage {

    /** What one core should sustain, so that a partition's consumer thread is never the bottleneck of the demo. */
    public static final double TARGET_EVENTS_PER_SECOND = 60_000;

    @Override
    public String name() {
        return "engine";
    }

    @Override
    public boolean run(BenchOptions o, PrintStream out) throws Exception {
        out.println("== engine: rules only, no broker ==");
        long t = System.nanoTime();
        RuleCompiler.Result compiled = new RuleCompiler(Clock.systemUTC()).compile(o.rulesDir());
        if (!compiled.ok()) {
            out.println("the rules in " + o.rulesDir() + " do not compile:");
            for (RuleError e : compiled.errors()) {
                out.println("  " + e);
            }
            return false;
        }
        long compileNanos = System.nanoTime() - t;
        EnginePass.Result warmup = null;
        if (o.warmupEvents() > 0) {
            out.printf("warming up on %,d other events...%n", o.warmupEvents());
            warmup = EnginePass.run(compiled.rules(), o, o.warmup(), null, 0);
        }
        out.printf("timing the generator alone on the %,d events...%n", o.events());
        long generatorNanos = EnginePass.generatorNanos(o);
        out.printf("timing %,d events...%n", o.events());
        double loadBefore = EngineReport.loadAverage();
        EnginePass.Result timed = EnginePass.run(compiled.rules(), o, o.workload(), null, 0);
        EnginePass.Result heap = null;
        if (o.heapSampleEvery() > 0) {
            // a pass of its own: a forced full GC empties the young generation, which would flatter the timed pass
            out.printf("measuring live heap on the same %,d events...%n", o.events());
            heap = EnginePass.run(compiled.rules(), o, o.workload(), new HeapProbe(), o.heapSampleEvery());
        }
        new EngineReport(o, compiled.rules(), compileNanos, warmup, generatorNanos, timed, heap, loadBefore).print(out);
        boolean repeatable = heap == null || heap.sameDecisions(timed);
        if (!repeatable) {
            out.println("ERROR: the two passes over the same events decided differently");
        }
        // correctness, not speed, decides the exit code: speed depends on the machine
        return repeatable && timed.failed() == 0 && timed.factsAfter() == 0;
    }
}
