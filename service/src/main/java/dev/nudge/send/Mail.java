package dev.nudge.send;

import dev.nudge.decision.Decision;

/**
 * A decision on its way out (to the relay or a webhook): where it came from, how often it was tried, and whether the
 * rules revoked it. A webhook campaign's revocation that is forwarded travels as one too, under its own id.
 */
final class Mail {

    /** What a forwarded revocation's id adds to its decision's id: its ledger entry and its idempotency key. */
    static final String REVOKED = ":revoked";

    final SendPartition partition;
    final long offset;
    final Decision decision;
    final byte[] raw;
    /** When the decision was written to Kafka (wall clock): how long a mail may wait counts from here. */
    final long producedAt;
    /** True for a revocation forwarded to a webhook, rather than a mail. */
    final boolean revocation;
    int attempt;
    boolean inFlight;
    long timer = -1;
    String voidedFor;
    /** A webhook campaign's revocation that came while the call was under way: forwarded once the call is over. */
    Mail pendingRevocation;

    Mail(SendPartition partition, long offset, Decision decision, byte[] raw, long producedAt, int attempt) {
        this(partition, offset, decision, raw, producedAt, attempt, false);
    }

    private Mail(SendPartition partition, long offset, Decision decision, byte[] raw, long producedAt, int attempt,
                 boolean revocation) {
        this.partition = partition;
        this.offset = offset;
        this.decision = decision;
        this.raw = raw;
        this.producedAt = producedAt;
        this.attempt = attempt;
        this.revocation = revocation;
    }

    /** The revocation record at {@code offset}, to be forwarded to a webhook. */
    static Mail revocation(SendPartition partition, long offset, Decision revocation, byte[] raw, long producedAt,
                           int attempt) {
        return new Mail(partition, offset, revocation, raw, producedAt, attempt, true);
    }

    /** The ledger's and the waiting list's key: the decision id, or {@code <id>:revoked} for a forwarded revocation. */
    String id() {
        return revocation ? decision.decisionId() + REVOKED : decision.decisionId();
    }
}
