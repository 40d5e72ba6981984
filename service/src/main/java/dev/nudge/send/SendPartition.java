package dev.nudge.send;

import org.apache.kafka.common.TopicPartition;

import java.util.TreeSet;

/**
 * One decisions partition this send stage owns: the ledger of its decisions, and the offsets whose mails are not
 * settled yet. The committed offset never passes an unsettled mail, so after a crash every mail still waiting is
 * read again, and the ledger stops the ones that went out.
 */
final class SendPartition {

    final TopicPartition tp;
    final LedgerIndex ledger;
    private final TreeSet<Long> unsettled = new TreeSet<>();
    private long next = -1;
    private long committed = -1;
    volatile boolean revoked;

    SendPartition(TopicPartition tp, LedgerIndex ledger) {
        this.tp = tp;
        this.ledger = ledger;
    }

    synchronized void taken(long offset) {
        next = Math.max(next, offset + 1);
    }

    synchronized void open(long offset) {
        unsettled.add(offset);
    }

    synchronized void settle(long offset) {
        unsettled.remove(offset);
    }

    /** The offset to commit now, or -1 when it has not moved since the last commit. */
    synchronized long commitPoint() {
        long point = unsettled.isEmpty() ? next : unsettled.first();
        return point > committed ? point : -1;
    }

    synchronized void committed(long offset) {
        committed = Math.max(committed, offset);
    }

    synchronized int unsettledCount() {
        return unsettled.size();
    }
}
