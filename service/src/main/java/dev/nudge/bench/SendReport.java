package dev.nudge.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The send benchmark's tables: throughput by relay and max-in-flight, delivery time, where the CPU went, checks. */
record SendReport(BenchOptions o, SendResult warmup, List<SendResult> passes, SendResult paced, double loadBefore) {

    void print(PrintStream out) {
        SendResult first = passes.get(0);
        out.println();
        out.printf("workload      %,d decisions a pass (%s) to customers of %,d, seed %d,%n", first.load().unique(),
                first.load().byCampaign().entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .map(e -> String.format("%s %,d", e.getKey(), e.getValue())).collect(Collectors.joining(", ")),
                o.customers(), o.seed());
        out.printf("              and %,d copies (%.1f%%: half right after their decision, half up to %,d records "
                + "later)%n", first.load().duplicates(), 100 * o.duplicateRate(), SendWorkload.MAX_DUPLICATE_DISTANCE);
        out.printf("send stage    deploy/templates, %d partitions, ledger and events acks=all, rate limit %,d/min%n"
                + "              (never reached), send.max-waiting as shipped%n",
                o.partitions(), SendPass.UNLIMITED_PER_MINUTE);
        out.printf("machine       %s%n", EngineReport.machine(loadBefore));
        out.printf("jvm options   %s%n", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        if (warmup != null) {
            out.printf("warm-up       %,d decisions (other ids) into %s, max-in-flight %d, %.1f s, %,.0f mails/s%n",
                    warmup.load().unique(), warmup.relay().label, warmup.maxInFlight(), warmup.seconds(),
                    warmup.mailsPerSecond());
        }
        out.println();
        out.printf("%-20s %8s %8s %8s %9s %8s %9s %11s %9s %9s%n", "throughput", "in-flight", "seconds", "mails/s",
                "2nd half", "1st mail", "mails per", "CPU-s of", "p50 ms", "p99 ms");
        out.printf("%-20s %8s %8s %8s %9s %8s %9s %11s %9s %9s%n", "(loaded backlog)", "", "", "", "mails/s", "s",
                "CPU-s", "send stage", "(wait)", "(wait)");
        for (SendResult r : passes) {
            out.printf("%-20s %8d %8.1f %,8.0f %,9.0f %8.2f %,9.0f %,11.0f %,9.0f %,9.0f%n", r.relay().label,
                    r.maxInFlight(), r.seconds(), r.mailsPerSecond(), r.secondHalfPerSecond(), r.firstMail(),
                    r.mailsPerCpuSecond(), r.mailsPerStageCpuSecond(), r.p50() * 1000, r.p99() * 1000);
        }
        out.println("mails/s: from the stage's deployment (group join, ledger read) to the last mail accepted;");
        out.println("2nd half: the last half of the mails only; mails per CPU-s: CPU of the whole process (broker");
        out.println("and SMTP server included); CPU-s of send stage: its own threads only (event loop, Kafka");
        out.println("consumer and producer), no GC or JIT; p50/p99: nudge_mail_delivery, in a backlog the wait in it.");
        if (paced != null) {
            out.println();
            out.printf("delivery time at %,d decisions/s offered for %.0f s into %s, max-in-flight %d: "
                            + "nudge_mail_delivery%n  p50 %.1f ms, p99 %.1f ms over %,d mails (from the decision's "
                            + "write to Kafka to the relay's 250)%n", paced.offered(),
                    (double) paced.load().unique() / paced.offered(), paced.relay().label, paced.maxInFlight(),
                    paced.p50() * 1000, paced.p99() * 1000, paced.load().unique());
        }
        for (SendResult r : passes) {
            out.printf("%nCPU by thread group, %s, max-in-flight %d: %.1f CPU-s over %.1f s (%.0f%% of %d cores)%n",
                    r.relay().label, r.maxInFlight(), r.processCpu() / 1e9, r.seconds(),
                    100 * r.processCpu() / 1e9 / r.seconds() / Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().availableProcessors());
            r.cpu().entrySet().stream().filter(e -> e.getValue() >= 5_000_000)
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> out.printf("  %-62s %7.2f s %4.0f%%  %6.0f µs/mail%n", e.getKey(),
                            e.getValue() / 1e9, 100.0 * e.getValue() / r.processCpu(),
                            e.getValue() / 1e3 / r.load().unique()));
            out.printf("  (GC pauses: %.2f s in all)%n", r.gcMillis() / 1e3);
        }
        out.println();
        for (SendResult r : passes) {
            checks(out, r);
        }
        if (paced != null) {
            checks(out, paced);
        }
    }

    private static void checks(PrintStream out, SendResult r) {
        out.printf("checks, %s %s, max-in-flight %d: %,d mails for %,d decisions, %d mailed twice, %d without an id; "
                        + "%,.0f sent, %,.0f of %,d copies seen as duplicates, %,.0f failed: %s%n", r.name(),
                r.relay().label, r.maxInFlight(), r.mails().received(), r.load().unique(), r.mails().mailedTwice(),
                r.mails().withoutId(), r.outcome("sent"), r.outcome("duplicate"), r.load().duplicates(),
                r.outcome("failed"), r.correct() ? "ok" : r.stalled() ? "STALLED" : "WRONG");
    }
}
