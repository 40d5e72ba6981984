package dev.nudge.report;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.inference.ChiSquareTest;

/**
 * The tests a campaign report makes, on Commons Math's distributions: Newcombe's hybrid score interval for the
 * difference of two proportions (his method 10, built from two Wilson intervals: it keeps its 95% coverage at the low
 * rates of e-mail conversions, where the Wald interval does not), the Katz log interval for their ratio, the pooled
 * two-proportion z-test, and a chi-square goodness-of-fit test of the arms' sizes.
 */
final class Statistics {

    /** 95% two-sided. */
    static final double CONFIDENCE = 0.95;
    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);
    private static final double Z = NORMAL.inverseCumulativeProbability(1 - (1 - CONFIDENCE) / 2);

    private Statistics() {
    }

    /** Wilson's score interval of x successes in n trials, n > 0. */
    static Interval wilson(long x, long n) {
        double p = (double) x / n;
        double z2 = Z * Z;
        double centre = (x + z2 / 2) / (n + z2);
        double half = Z / (n + z2) * Math.sqrt((double) x * (n - x) / n + z2 / 4);
        return new Interval(p, centre - half, centre + half);
    }

    /** Newcombe's hybrid score interval of p1 − p2 (Newcombe 1998, method 10); both n > 0. */
    static Interval difference(long x1, long n1, long x2, long n2) {
        return minus(wilson(x1, n1), wilson(x2, n2));
    }

    /**
     * a − b of two independent estimates with their intervals, by Zou and Donner's MOVER (2008: the method of variance
     * estimates recovery, which Newcombe's method 10 is for two Wilson intervals): each side's distance to the estimate
     * is recovered from the limits of the two intervals that bound it.
     */
    static Interval minus(Interval a, Interval b) {
        double d = a.estimate() - b.estimate();
        double low = d - Math.sqrt(sq(a.estimate() - a.low()) + sq(b.high() - b.estimate()));
        double high = d + Math.sqrt(sq(a.high() - a.estimate()) + sq(b.estimate() - b.low()));
        return new Interval(d, low, high);
    }

    /**
     * p1 / p2 − 1 with the Katz log interval, exp(ln(p1/p2) ± z·√(1/x1 − 1/n1 + 1/x2 − 1/n2)) − 1; null when either
     * arm has no conversion (the ratio or its log is then undefined).
     */
    static Interval relative(long x1, long n1, long x2, long n2) {
        if (x1 == 0 || x2 == 0) {
            return null;
        }
        double ratio = ((double) x1 / n1) / ((double) x2 / n2);
        double se = Math.sqrt(1.0 / x1 - 1.0 / n1 + 1.0 / x2 - 1.0 / n2);
        return new Interval(ratio - 1, Math.exp(Math.log(ratio) - Z * se) - 1, Math.exp(Math.log(ratio) + Z * se) - 1);
    }

    /** Two-sided p-value of the pooled two-proportion z-test (the chi-square test of the 2×2 table, uncorrected). */
    static double pValue(long x1, long n1, long x2, long n2) {
        double pooled = (double) (x1 + x2) / (n1 + n2);
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
        double d = (double) x1 / n1 - (double) x2 / n2;
        if (se == 0) {
            // nobody converted, or everybody did: the arms cannot differ
            return 1.0;
        }
        return 2 * NORMAL.cumulativeProbability(-Math.abs(d / se));
    }

    /**
     * p-value of the chi-square goodness-of-fit test of the arms' sizes against the configured holdout share (in
     * percent). With a share of 0 or 100 one arm must be empty: any decision there is a mismatch, p = 0.
     */
    static double sampleRatioP(long mailed, long holdout, double holdoutPercent) {
        double share = holdoutPercent / 100;
        if (share <= 0) {
            return holdout == 0 ? 1.0 : 0.0;
        }
        if (share >= 1) {
            return mailed == 0 ? 1.0 : 0.0;
        }
        long n = mailed + holdout;
        return new ChiSquareTest().chiSquareTest(new double[] {n * (1 - share), n * share},
                new long[] {mailed, holdout});
    }

    private static double sq(double v) {
        return v * v;
    }
}
