package dev.nudge.bench;

import dev.nudge.demo.ShopperSimulator;
import dev.nudge.demo.SimulatorConfig;
import dev.nudge.decision.Decision;
import dev.nudge.engine.PartitionEngine;
import dev.nudge.engine.RuleSet;
import dev.nudge.engine.SourceClock;
import dev.nudge.event.CustomerEvent;

import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One long run of simulated traffic through one {@link PartitionEngine} per partition, stopping at every midnight of
 * event time to measure live heap and facts (untimed), then running event time on so every fact that expires can.
 * The run ends at the last day's midnight, so every day measured is a whole day of traffic.
 */
final class SoakPass {

    static final long DAY = Duration.ofDays(1).toMillis();
    // the simulator ends a little short of the period it is given: a day more, and a little more traffic, so that
    // the soak's days are all whole days and hold at least the events asked for
    private static final double EXTRA_EVENTS = 1.01;

    /** The measurements at the end of one simulated day; {@code mails} are the mails decided during that day. */
    record Day(int day, long events, long liveBytes, long facts, long keptForGood, long mails) {
        long expiring() {
            return facts - keptForGood;
        }

        double liveMb() {
            return liveBytes / (1024.0 * 1024.0);
        }
    }

    /** The whole pass; {@code nanos} leaves out the daily measurements. */
    record Result(List<Day> days, long liveBefore, long events, long nanos, long duplicates, long late, long failed,
                  Map<String, Long> outcomes, long mailsAfter, long expiringAfter, long keptAfter, long liveAfter) {

        double eventsPerSecond() {
            return events / (nanos / 1e9);
        }
    }

    private final BenchOptions o;
    private final PartitionEngine[] engines;
    private final HeapProbe probe = new HeapProbe();
    private final Map<String, Long> outcomes = new TreeMap<>();
    private long mails;

    private SoakPass(RuleSet rules, BenchOptions o) {
        this.o = o;
        this.engines = new PartitionEngine[o.partitions()];
        // one source clock for all partitions, as one engine verticle has
        SourceClock sources = new SourceClock(o.engine().sourceMaxLag());
        for (int p = 0; p < engines.length; p++) {
            engines[p] = new PartitionEngine(rules, o.engine(), sources);
        }
    }

    /** Runs the workload of {@code o}, handing each day's measurements to {@code onDay} as soon as they are taken. */
    static Result run(RuleSet rules, BenchOptions o, Consumer<Day> onDay) {
        SoakPass pass = new SoakPass(rules, o);
        try {
            return pass.run(onDay);
        } finally {
            for (PartitionEngine engine : pass.engines) {
                engine.close();
            }
        }
    }

    private Result run(Consumer<Day> onDay) {
        long liveBefore = probe.liveBytes();
        int lastDay = (int) Math.max(1, (o.span().toMillis() + DAY - 1) / DAY);
        long midnight = o.workload().start().toEpochMilli() + DAY;
        long end = o.workload().start().toEpochMilli() + lastDay * DAY;
        List<Day> days = new ArrayList<>();
        long events = 0;
        long duplicates = 0;
        long late = 0;
        long failed = 0;
        long paused = 0;
        ShopperSimulator stream = new ShopperSimulator(workload(lastDay));
        long start = System.nanoTime();
        while (stream.hasNext()) {
            CustomerEvent e = stream.next().event();
            if (e.getEventTime() >= end) {
                break;
            }
            while (e.getEventTime() >= midnight) {
                long t = System.nanoTime();
                days.add(measure(days.size() + 1, events));
                onDay.accept(days.get(days.size() - 1));
                midnight += DAY;
                paused += System.nanoTime() - t;
            }
            PartitionEngine.Outcome outcome = engines[o.partitionOf(e.customerId())].accept(e);
            events++;
            duplicates += outcome.duplicate() ? 1 : 0;
            late += outcome.late() ? 1 : 0;
            failed += outcome.failed() ? 1 : 0;
            count(outcome.decisions());
        }
        long nanos = System.nanoTime() - start - paused;
        // on to the last day's midnight, so its row is measured at the same hour of the day as the others
        for (PartitionEngine engine : engines) {
            count(engine.advanceEventTime(midnight));
        }
        days.add(measure(days.size() + 1, events));
        onDay.accept(days.get(days.size() - 1));
        return runOn(days, liveBefore, events, nanos, duplicates, late, failed);
    }

    /** The options' workload over one more day at the same daily rate, times {@link #EXTRA_EVENTS}. */
    private SimulatorConfig workload(int days) {
        SimulatorConfig w = o.workload();
        long events = (long) Math.ceil(w.events() * EXTRA_EVENTS * (days + 1) / days);
        return new SimulatorConfig(w.seed(), w.customers(), events, w.start(), Duration.ofDays(days + 1),
                w.duplicateRate(), w.lateRate(), w.maxDelay());
    }

    /** Every partition to the same instant past the longest retention, as idle ticks would take them. */
    private Result runOn(List<Day> days, long liveBefore, long events, long nanos, long duplicates, long late,
                         long failed) {
        long newest = Long.MIN_VALUE;
        for (PartitionEngine engine : engines) {
            newest = Math.max(newest, engine.maxEventTime());
        }
        long end = (newest == Long.MIN_VALUE ? o.workload().start().toEpochMilli() : newest)
                + EnginePass.RUN_ON.toMillis();
        for (PartitionEngine engine : engines) {
            count(engine.advanceEventTime(end));
        }
        // the last day's measurement set the count to zero: what is counted now was decided while time ran on
        long mailsAfter = mails;
        Day after = measure(0, events);
        Reference.reachabilityFence(engines); // the sessions must still be live while measured
        return new Result(days, liveBefore, events, nanos, duplicates, late, failed, outcomes, mailsAfter,
                after.expiring(), after.keptForGood(), after.liveBytes());
    }

    /** Heap after a full collection, and the sessions' facts; the day's mail count starts again from zero. */
    private Day measure(int day, long events) {
        long facts = 0;
        long kept = 0;
        for (PartitionEngine engine : engines) {
            facts += engine.factCount();
            // profiles, consent signals and quiet-source notes: kept on purpose, one of each per customer or source
            kept += engine.factsKeptForGood();
        }
        Day d = new Day(day, events, probe.liveBytes(), facts, kept, mails);
        mails = 0;
        return d;
    }

    private void count(List<Decision> made) {
        for (Decision d : made) {
            String key = d.kind().mails() ? "sent" : d.kind().code() + (d.reason() == null ? "" : ": " + d.reason());
            outcomes.merge(key, 1L, Long::sum);
            mails += d.kind().mails() ? 1 : 0;
        }
    }
}
