package dev.nudge.live;

import dev.nudge.decision.Conversion;
import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionKind;
import dev.nudge.send.LedgerEntry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The funnel per campaign of what the live page has seen: each decision is counted once per stage however many
 * records tell of it (a fallback is on the decisions and the audit topic, a held mail and its release share an id,
 * a replay or redelivery repeats records). Decisions are remembered for that up to {@link #REMEMBERED}; older ones
 * would be counted again if their records came again. Thread-safe: the reader thread adds, the event loop reads.
 */
public final class LiveFunnel {

    /** How many decision ids are remembered to count each decision once per stage. */
    static final int REMEMBERED = 200_000;

    private static final int TRIGGERED = 1;
    private static final int HELD = 1 << 1;
    private static final int SUPPRESSED = 1 << 2;
    private static final int HOLDOUT = 1 << 3;
    private static final int VOIDED = 1 << 4;
    private static final int MAILED = 1 << 5;
    private static final int FAILED = 1 << 6;
    private static final int ASSIGNED = 1 << 7;
    private static final int CONVERTED = 1 << 8;
    private static final int MEASURED = 1 << 9;

    private final Map<String, CampaignFunnel.Counts> campaigns = new TreeMap<>();
    private final Map<String, Integer> seen = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > REMEMBERED;
        }
    };

    /**
     * A decision read from the decisions or the audit topic; {@code latencyMillis} is its event to decision latency
     * when it was read from the decisions topic with a cause time, else null.
     */
    public synchronized void decision(Decision d, Long latencyMillis) {
        CampaignFunnel.Counts c = counts(d.campaign());
        if (d.kind() != DecisionKind.VOIDED && first(d.decisionId(), TRIGGERED)) {
            c.triggered++;
        }
        switch (d.kind()) {
            case HELD -> {
                if (first(d.decisionId(), HELD)) {
                    c.held++;
                }
            }
            case SUPPRESSED -> {
                if (first(d.decisionId(), SUPPRESSED)) {
                    CampaignFunnel.Counts.add(c.suppressed, d.reason());
                }
            }
            case HOLDOUT -> {
                if (first(d.decisionId(), HOLDOUT)) {
                    c.holdout++;
                }
            }
            case VOIDED -> {
                if (first(d.decisionId(), VOIDED)) {
                    c.voided++;
                }
            }
            case MAIL, FALLBACK -> {
                // mailed once the send stage's ledger says sent
            }
        }
        if (latencyMillis != null && first(d.decisionId() + "/" + d.kind().code(), MEASURED)) {
            c.latency.add(latencyMillis);
        }
    }

    /** What the send stage did with a decision: {@code sent} counts as mailed, a mail given up as failed (by state). */
    public synchronized void delivery(LedgerEntry e) {
        if (e.campaign() == null || e.decisionId() == null) {
            return;
        }
        CampaignFunnel.Counts c = counts(e.campaign());
        if (LedgerEntry.SENT.equals(e.state()) && first(e.decisionId(), MAILED)) {
            c.mailed++;
        } else if ((LedgerEntry.FAILED.equals(e.state()) || LedgerEntry.NO_ADDRESS.equals(e.state()))
                && first(e.decisionId(), FAILED)) {
            CampaignFunnel.Counts.add(c.failed, e.state());
        }
    }

    /** A record of the conversions topic: an assignment to an arm, or the order that converted a decision. */
    public synchronized void conversion(Conversion v) {
        if (v.campaign() == null || v.decisionId() == null) {
            return;
        }
        CampaignFunnel.Counts c = counts(v.campaign());
        if (Conversion.ASSIGNED.equals(v.kind()) && first(v.decisionId(), ASSIGNED)) {
            CampaignFunnel.Counts.add(c.assigned, v.arm());
        } else if (Conversion.CONVERTED.equals(v.kind()) && first(v.decisionId(), CONVERTED)) {
            CampaignFunnel.Counts.add(c.converted, v.arm());
        }
    }

    /** Every campaign seen so far, by name. */
    public synchronized List<CampaignFunnel> snapshot() {
        List<CampaignFunnel> out = new ArrayList<>();
        campaigns.forEach((name, c) -> out.add(c.snapshot(name)));
        return out;
    }

    private CampaignFunnel.Counts counts(String campaign) {
        return campaigns.computeIfAbsent(campaign, k -> new CampaignFunnel.Counts());
    }

    /** True the first time {@code stage} is seen for {@code id}. */
    private boolean first(String id, int stage) {
        int had = seen.getOrDefault(id, 0);
        if ((had & stage) != 0) {
            return false;
        }
        seen.put(id, had | stage);
        return true;
    }
}
