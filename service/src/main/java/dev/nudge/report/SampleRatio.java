package dev.nudge.report;

/**
 * The sample-ratio check of a campaign: do the arms' sizes fit the configured holdout share? A mismatch
 * (p &lt; {@value #ALARM}) means the split itself went wrong (decisions lost in one arm, a share changed midway), and
 * then no lift of that campaign can be trusted.
 */
public record SampleRatio(double expectedHoldoutPercent, double observedHoldoutPercent, double pValue,
                          boolean mismatch) {

    /** The usual threshold of A/B platforms: a split this unlikely is a bug, not chance. */
    public static final double ALARM = 0.001;

    static SampleRatio of(long mailed, long holdout, double holdoutPercent) {
        double p = Statistics.sampleRatioP(mailed, holdout, holdoutPercent);
        return new SampleRatio(holdoutPercent, 100.0 * holdout / (mailed + holdout), p, p < ALARM);
    }
}
