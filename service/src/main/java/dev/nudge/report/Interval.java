package dev.nudge.report;

/** An estimate with its 95% confidence interval, {@code low} to {@code high}. */
public record Interval(double estimate, double low, double high) {

    /** True when the whole interval is above zero: the campaign did better than its holdout, at 95% confidence. */
    public boolean aboveZero() {
        return low > 0;
    }

    /** True when the whole interval is below zero. */
    public boolean belowZero() {
        return high < 0;
    }
}
