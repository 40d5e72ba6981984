package dev.nudge.backtest;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Prints a backtest for an analyst: the window, each campaign before and after, samples of each difference, timings. */
public final class BacktestText {

    /** Customers shown per campaign and kind of difference; the JSON has them all. */
    static final int SAMPLE = 5;

    private BacktestText() {
    }

    public static String render(BacktestResult r) {
        StringBuilder out = new StringBuilder();
        out.append("Backtest of ").append(r.source()).append('\n');
        if (r.events() == 0) {
            out.append("no events in the window: nothing to compare\n");
        } else {
            out.append(r.events()).append(" events from ").append(r.from()).append(" to ").append(r.to());
            if (r.unreadable() > 0) {
                out.append(" (").append(r.unreadable()).append(" unreadable records skipped)");
            }
            out.append('\n');
        }
        out.append("running rules ").append(r.runningVersion()).append(", candidate rules ")
                .append(r.candidateVersion()).append("\n\n");
        out.append(comparison(r.campaigns(), r.differences(), "before", "after",
                "no differences: the candidate rules decide exactly as the running rules"));
        BacktestResult.Timings t = r.timings();
        out.append(String.format("%nTime: reading %s, compiling %s (running) and %s (candidate), replaying %s "
                        + "(running) and %s (candidate): %,d events/s%n", ms(t.readMillis()),
                ms(t.compileRunningMillis()), ms(t.compileCandidateMillis()), ms(t.replayRunningMillis()),
                ms(t.replayCandidateMillis()), t.eventsPerSecond()));
        long flagged = r.campaigns().stream().filter(c -> c.flag() != null).count();
        if (flagged > 0) {
            out.append(flagged).append(flagged == 1 ? " campaign" : " campaigns")
                    .append(" flagged: check the change before it goes live\n");
        }
        return out.toString();
    }

    /**
     * The table of campaigns before and after, their flags and a sample of each campaign's differences of each kind;
     * {@code same} is the line to print when nothing differs, {@code beforeTitle} and {@code afterTitle} head the two
     * sides. Shared with the running tally of shadow rules.
     */
    public static String comparison(List<BacktestResult.Campaign> campaigns, List<BacktestResult.Difference> differences,
                                    String beforeTitle, String afterTitle, String same) {
        StringBuilder out = new StringBuilder();
        int name = width(campaigns.stream().map(BacktestResult.Campaign::campaign), "campaign");
        int before = width(campaigns.stream().map(c -> kinds(c.before())), beforeTitle);
        int after = width(campaigns.stream().map(c -> kinds(c.after())), afterTitle);
        String head = "%-" + name + "s  %-" + before + "s  %-" + after + "s  %7s %7s %7s%n";
        String row = "%-" + name + "s  %-" + before + "s  %-" + after + "s  %7d %7d %7d%n";
        out.append(String.format(head, "campaign", beforeTitle, afterTitle, "added", "removed", "changed"));
        for (BacktestResult.Campaign c : campaigns) {
            out.append(String.format(row, c.campaign(), kinds(c.before()), kinds(c.after()), c.added(), c.removed(),
                    c.changed()));
        }
        for (BacktestResult.Campaign c : campaigns) {
            if (c.flag() != null) {
                out.append("FLAG ").append(c.campaign()).append(": ").append(c.flag()).append('\n');
            }
        }
        if (differences.isEmpty()) {
            out.append('\n').append(same).append('\n');
        }
        for (BacktestResult.Campaign c : campaigns) {
            for (String change : List.of(BacktestResult.Difference.ADDED, BacktestResult.Difference.REMOVED,
                    BacktestResult.Difference.CHANGED)) {
                List<BacktestResult.Difference> all = differences.stream()
                        .filter(d -> d.campaign().equals(c.campaign()) && d.change().equals(change)).toList();
                if (all.isEmpty()) {
                    continue;
                }
                // the campaign's own count: the list given may be a sample
                long count = change.equals(BacktestResult.Difference.ADDED) ? c.added()
                        : change.equals(BacktestResult.Difference.REMOVED) ? c.removed() : c.changed();
                out.append('\n').append(c.campaign()).append(", ").append(change).append(" (").append(count)
                        .append(count > SAMPLE ? ", first " + SAMPLE : "").append("):\n");
                for (BacktestResult.Difference d : all.subList(0, Math.min(SAMPLE, all.size()))) {
                    out.append("  ").append(d.customerId()).append("  ");
                    if (d.before() != null) {
                        out.append(describe(d.before()));
                    }
                    if (d.before() != null && d.after() != null) {
                        out.append("  ->  ");
                    }
                    if (d.after() != null) {
                        out.append(describe(d.after()));
                    }
                    out.append('\n');
                }
            }
        }
        return out.toString();
    }

    private static int width(java.util.stream.Stream<String> values, String title) {
        return Math.max(title.length(), values.mapToInt(String::length).max().orElse(0));
    }

    private static String describe(BacktestResult.Outcome o) {
        return o.kind() + (o.reason() == null ? "" : " (" + o.reason() + ")") + " at " + time(o.at());
    }

    private static String time(Instant at) {
        return at.toString();
    }

    private static String kinds(Map<String, Long> kinds) {
        if (kinds.isEmpty()) {
            return "-";
        }
        return kinds.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    }

    private static String ms(long millis) {
        return millis < 1000 ? millis + " ms" : String.format("%.1f s", millis / 1000.0);
    }
}
