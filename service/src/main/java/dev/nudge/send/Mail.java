package dev.nudge.send;

import dev.nudge.decision.Decision;

/** A decision on its way to the relay: where it came from, how often it was tried, and whether the rules revoked it. */
final class Mail {

    final SendPartition partition;
    final long offset;
    final Decision decision;
    final byte[] raw;
    /** When the decision was written to Kafka (wall clock): how long a mail may wait counts from here. */
    final long producedAt;
    int attempt;
    boolean inFlight;
    long timer = -1;
    String voidedFor;

    Mail(SendPartition partition, long offset, Decision decision, byte[] raw, long producedAt, int attempt) {
        this.partition = partition;
        this.offset = offset;
        this.decision = decision;
        this.raw = raw;
        this.producedAt = producedAt;
        this.attempt = attempt;
    }

    String id() {
        return decision.decisionId();
    }
}
