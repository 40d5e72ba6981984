package dev.nudge.report;

/**
 * What a campaign cost in goodwill, per 1,000 decisions of its mailed arm: unsubscribes and spam complaints whose event
 * names the campaign. Hard bounces are not counted: an {@code EmailBounced} event names no campaign, so it cannot be
 * charged to one (see the send stage's {@code nudge_mails_total{outcome="bounced"}} instead).
 */
public record Guardrails(long unsubscribes, long spamComplaints, Double unsubscribesPer1000,
                         Double spamComplaintsPer1000) {

    /** Counts of opt-outs that name a campaign. */
    public record Counts(long unsubscribes, long spamComplaints) {
        public static final Counts NONE = new Counts(0, 0);
    }

    static Guardrails of(Counts counts, long mailed) {
        return new Guardrails(counts.unsubscribes(), counts.spamComplaints(),
                mailed == 0 ? null : 1000.0 * counts.unsubscribes() / mailed,
                mailed == 0 ? null : 1000.0 * counts.spamComplaints() / mailed);
    }
}
