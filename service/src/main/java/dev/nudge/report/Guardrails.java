package dev.nudge.report;

/**
 * What a campaign cost in goodwill and deliverability, per 1,000 decisions of its mailed arm: unsubscribes, spam
 * complaints and hard bounces whose event names the campaign (the mails' unsubscribe links and the send stage's own
 * bounces do; a bounce the ESP reports without a campaign is charged to none).
 */
public record Guardrails(long unsubscribes, long spamComplaints, long hardBounces, Double unsubscribesPer1000,
                         Double spamComplaintsPer1000, Double hardBouncesPer1000) {

    /** Counts of opt-outs and hard bounces that name a campaign. */
    public record Counts(long unsubscribes, long spamComplaints, long hardBounces) {
        public static final Counts NONE = new Counts(0, 0, 0);
    }

    static Guardrails of(Counts counts, long mailed) {
        return new Guardrails(counts.unsubscribes(), counts.spamComplaints(), counts.hardBounces(),
                per1000(counts.unsubscribes(), mailed), per1000(counts.spamComplaints(), mailed),
                per1000(counts.hardBounces(), mailed));
    }

    private static Double per1000(long count, long mailed) {
        return mailed == 0 ? null : 1000.0 * count / mailed;
    }
}
