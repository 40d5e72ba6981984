package dev.nudge.bench;

import dev.nudge.engine.RuleCompiler;
import dev.nudge.engine.RuleError;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.stream.Collectors;

/**
 * The soak: weeks of simulated traffic through the partition engines in one pass, time-accelerated by the pseudo
 * clock, no broker, with live heap and facts measured at every midnight of event time. It fails when the live heap
 * grows once the longest windows are full, when a fact that should expire is still there after event time has run
 * on past every retention, or when the facts kept by design (a profile and a consent signal per customer) outgrow
 * their bound.
 */
public final class SoakBenchmark implements BenchStage {

    /** The soak: 10 million events over 30 simulated days among 100,000 customers. */
    public static final long DEFAULT_EVENTS = 10_000_000;
    public static final int DEFAULT_CUSTOMERS = 100_000;
    public static final int DEFAULT_DAYS = 30;

    private static final double MB = 1024.0 * 1024.0;

    /** What the soak measured. */
    record Result(SoakPass.Result pass, SoakSummary summary, long keptBound) {
        boolean ok() {
            return pass.failed() == 0 && pass.expiringAfter() == 0 && pass.keptAfter() <= keptBound
                    && summary.verdict() != SoakSummary.Verdict.GROWING;
        }
    }

    /** Events of a soak of {@code days} when none are asked for: the 30-day soak's rate, 333,333 a day. */
    public static long defaultEvents(int days) {
        return Math.round(DEFAULT_EVENTS * (days / (double) DEFAULT_DAYS));
    }

    @Override
    public String name() {
        return "soak";
    }

    @Override
    public boolean run(BenchOptions o, PrintStream out) throws IOException {
        Result r = soak(o, out);
        return r != null && r.ok();
    }

    /** Runs and prints the soak; null when the rules do not compile. */
    Result soak(BenchOptions o, PrintStream out) throws IOException {
        String span = o.span().toMillis() % SoakPass.DAY == 0 ? o.span().toDays() + " days" : o.span().toString();
        out.printf("== soak: at least %,d events, %,d customers, %s of event time, %d partitions, no broker ==%n",
                o.events(), o.customers(), span, o.partitions());
        RuleCompiler.Result compiled = new RuleCompiler(Clock.systemUTC()).compile(o.rulesDir());
        if (!compiled.ok()) {
            out.println("the rules in " + o.rulesDir() + " do not compile:");
            for (RuleError e : compiled.errors()) {
                out.println("  " + e);
            }
            return null;
        }
        out.printf("JVM max heap %.0f MB; at each midnight of event time: live heap after System.gc() and the "
                + "sessions' facts (untimed)%n", Runtime.getRuntime().maxMemory() / (1024.0 * 1024.0));
        out.printf("%4s %13s %13s %12s %14s %12s %11s%n", "day", "events so far", "live heap MB", "facts",
                "kept for good", "expiring", "mails sent");
        SoakPass.Result pass = SoakPass.run(compiled.rules(), o, d -> {
            out.printf("%4d %,13d %13.1f %,12d %,14d %,12d %,11d%n", d.day(), d.events(), d.liveMb(), d.facts(),
                    d.keptForGood(), d.expiring(), d.mails());
            out.flush();
        });
        // a profile and a consent signal per customer, and a quiet-source note per watched type and partition
        long keptBound = 2L * o.customers() + (long) o.partitions() * o.engine().sourceMaxLag().size();
        Result r = new Result(pass, SoakSummary.of(pass.days()), keptBound);
        print(r, out);
        return r;
    }

    private static void print(Result r, PrintStream out) {
        SoakPass.Result p = r.pass();
        out.println();
        out.printf("%,d events over %d days in %.1f s: %,.0f events/s (the daily measurements left out)%n",
                p.events(), p.days().size(), p.nanos() / 1e9, p.eventsPerSecond());
        out.printf("live heap before the run (rules loaded, empty sessions): %.1f MB%n", p.liveBefore() / MB);
        r.summary().print(out);
        out.printf("decisions: %s%n", p.outcomes().entrySet().stream()
                .map(e -> e.getKey() + " " + String.format("%,d", e.getValue())).collect(Collectors.joining(", ")));
        out.printf("duplicates dropped %,d; late (behind the watermark) %,d; rule failures %,d%n",
                p.duplicates(), p.late(), p.failed());
        out.printf("after +%d days of event time: %,d expiring facts, %,d kept for good (bound %,d: a profile and a "
                        + "consent signal per customer), live heap %.1f MB, %,d more mails%n",
                EnginePass.RUN_ON.toDays(), p.expiringAfter(), p.keptAfter(), r.keptBound(), p.liveAfter() / MB,
                p.mailsAfter());
        if (p.expiringAfter() != 0) {
            out.printf("LEAK: %,d facts that should have expired are still in the sessions%n", p.expiringAfter());
        }
        if (p.keptAfter() > r.keptBound()) {
            out.printf("LEAK: facts kept for good outgrew one profile and one consent signal per customer%n");
        }
        if (HeapProbe.explicitGcWarning() != null) {
            out.println("warning: " + HeapProbe.explicitGcWarning());
        }
        out.println(r.ok() ? "soak: passed" : "soak: FAILED");
    }
}
