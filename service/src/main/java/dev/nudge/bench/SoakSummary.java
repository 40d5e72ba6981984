package dev.nudge.bench;

import java.io.PrintStream;
import java.util.List;

/**
 * The soak's verdict on memory, from the days after the longest windows have filled: the live heap's range and
 * least-squares slope, and whether the mean of the last days grew past a set share of the mean of the first days.
 *
 * @param settled the days from {@link #SETTLED_FROM_DAY} on, the only ones the verdict reads
 */
record SoakSummary(List<SoakPass.Day> settled) {

    /**
     * The first day whose end finds every window full: mails sent and decided are kept 73 h, the longest retention
     * in rules/events.drl, so from the end of day 4 (96 h) the sessions hold as much as they ever should.
     */
    static final int SETTLED_FROM_DAY = 4;
    /** Days averaged at each end of the settled days, so one day's traffic does not decide. */
    static final int ENDS = 5;
    /** Growth of the live heap from the first to the last settled days that still counts as flat. */
    static final double MAX_GROWTH = 0.10;

    /** Whether memory stayed flat, or the run was too short to tell. */
    enum Verdict { FLAT, GROWING, TOO_SHORT }

    static SoakSummary of(List<SoakPass.Day> days) {
        return new SoakSummary(days.stream().filter(d -> d.day() >= SETTLED_FROM_DAY).toList());
    }

    Verdict verdict() {
        if (settled.size() < 2 * ENDS) {
            return Verdict.TOO_SHORT;
        }
        return growth() < MAX_GROWTH ? Verdict.FLAT : Verdict.GROWING;
    }

    /** Mean live heap of the last {@link #ENDS} settled days over that of the first, minus one. */
    double growth() {
        return meanMb(settled.size() - ENDS, settled.size()) / meanMb(0, ENDS) - 1;
    }

    /** Least-squares slope of the live heap over the settled days, in MB a day. */
    double slopeMbPerDay() {
        int n = settled.size();
        double meanX = settled.stream().mapToDouble(SoakPass.Day::day).average().orElse(0);
        double meanY = meanMb(0, n);
        double sxy = 0;
        double sxx = 0;
        for (SoakPass.Day d : settled) {
            sxy += (d.day() - meanX) * (mb(d) - meanY);
            sxx += (d.day() - meanX) * (d.day() - meanX);
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }

    void print(PrintStream out) {
        if (settled.isEmpty()) {
            out.printf("live heap: no day from day %d on, when the longest windows are full: no verdict%n",
                    SETTLED_FROM_DAY);
            return;
        }
        int first = settled.get(0).day();
        int last = settled.get(settled.size() - 1).day();
        double slope = slopeMbPerDay();
        out.printf("live heap over days %d-%d: min %.1f MB, max %.1f MB, last %.1f MB; slope %s (least squares)%n",
                first, last, settled.stream().mapToDouble(SoakSummary::mb).min().orElse(0),
                settled.stream().mapToDouble(SoakSummary::mb).max().orElse(0), mb(settled.get(settled.size() - 1)),
                Double.isNaN(slope) ? "n/a" : String.format("%+.2f MB/day", slope));
        if (verdict() == Verdict.TOO_SHORT) {
            out.printf("memory: too few days for a verdict (it compares the means of the first and last %d days "
                    + "from day %d on: run %d days or more)%n", ENDS, SETTLED_FROM_DAY, SETTLED_FROM_DAY + 2 * ENDS - 1);
            return;
        }
        out.printf("memory: %s. Criterion: flat when the mean live heap of days %d-%d (%.1f MB) is less than %.0f%% "
                        + "above that of days %d-%d (%.1f MB); it is %+.1f%%%n",
                verdict() == Verdict.FLAT ? "flat" : "GROWING", settled.get(settled.size() - ENDS).day(), last,
                meanMb(settled.size() - ENDS, settled.size()), MAX_GROWTH * 100, first,
                settled.get(ENDS - 1).day(), meanMb(0, ENDS), growth() * 100);
        if (verdict() == Verdict.GROWING) {
            out.println("  if the facts stay flat meanwhile, something outside them keeps memory: compare class histograms"
                    + " (jcmd <pid> GC.class_histogram) taken on two days");
        }
    }

    private double meanMb(int from, int to) {
        return settled.subList(from, to).stream().mapToDouble(SoakSummary::mb).average().orElse(Double.NaN);
    }

    private static double mb(SoakPass.Day d) {
        return d.liveMb();
    }
}
