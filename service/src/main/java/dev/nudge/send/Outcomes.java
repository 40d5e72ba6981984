package dev.nudge.send;

import dev.nudge.decision.Decision;
import dev.nudge.kafka.Oversize;
import dev.nudge.metrics.Metrics;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Records what became of each mail (ledger entries, send dead letters, {@code EmailSent} / {@code EmailFailed}
 * events, meters) and settles its offset once every record is acknowledged, so the commit never passes a mail whose
 * fate Kafka does not hold yet.
 */
final class Outcomes {

    private static final Logger LOG = LoggerFactory.getLogger(Outcomes.class);

    private final Vertx vertx;
    private final Producer<String, byte[]> producer;
    private final SendRecords records;
    private final Metrics metrics;
    private final Runnable onFailure;
    private boolean failed;

    Outcomes(Vertx vertx, Producer<String, byte[]> producer, SendRecords records, Metrics metrics, Runnable onFailure) {
        this.onFailure = onFailure;
        this.vertx = vertx;
        this.producer = producer;
        this.records = records;
        this.metrics = metrics;
    }

    /** Before the relay or the webhook gets the mail: found after a crash, this entry says the call's answer is lost. */
    Future<Void> attempting(Mail m) {
        return write(ledger(m, LedgerEntry.SENDING, null));
    }

    /** Refused for now: a new owner goes on retrying rather than calling the mail in doubt. */
    void retrying(Mail m, String reason) {
        metrics.mail(m.decision.campaign(), "retried");
        write(ledger(m, LedgerEntry.RETRY, reason)).onFailure(this::lost);
    }

    /** The channel asked every mail of it to wait ({@code times} 0 shows the channel before its first time). */
    void throttled(String channel, int times) {
        metrics.throttled(channel, times);
    }

    /** Stamped with the decision's event time plus the time the mail waited here, so rules see it where it belongs. */
    void sent(Mail m, String messageId, long waitedMillis) {
        metrics.mail(m.decision.campaign(), "sent");
        metrics.mailDelivery(java.time.Duration.ofMillis(waitedMillis));
        Instant at = m.decision.decidedAt().plusMillis(waitedMillis);
        settle(m, List.of(ledger(m, LedgerEntry.SENT, messageId), records.emailSent(m.decision, at)));
    }

    /** A revocation the webhook endpoint took (or that its template sends nothing for): settled, not called again. */
    void forwarded(Mail revocation, String receipt) {
        metrics.mail(revocation.decision.campaign(), "revocation-forwarded");
        settle(revocation, List.of(ledger(revocation, LedgerEntry.SENT, receipt)));
    }

    /** A revocation the endpoint has no use for (it never had the decision): recorded, so a copy is not sent either. */
    void notForwarded(Mail revocation, String detail) {
        settle(revocation, List.of(ledger(revocation, LedgerEntry.VOID, detail)));
    }

    /** Settled without sending: holdout, void. */
    void settleAs(Mail m, String state, String detail, String outcome) {
        metrics.mail(m.decision.campaign(), outcome);
        settle(m, List.of(ledger(m, state, detail)));
    }

    /** Given up for good: the send dead-letter topic gets the decision with the reason. */
    void fail(Mail m, String reason, String outcome) {
        LOG.warn("{} {} to {} ({}) not sent: {}", m.revocation ? "revocation" : "mail", m.id(),
                m.decision.customerId(), m.decision.campaign(), reason);
        fail(m, reason, outcome, true, null);
    }

    /**
     * The relay refused the address itself: given up like any permanent refusal, and reported as a hard
     * {@code EmailBounced} too, so the consent rules stop mailing an address that does not exist.
     */
    void bounced(Mail m, String reason) {
        LOG.warn("mail {} to {} ({}) bounced: {}", m.id(), m.decision.customerId(), m.decision.campaign(), reason);
        Instant at = m.decision.decidedAt().plusMillis(Math.max(0, System.currentTimeMillis() - m.producedAt));
        fail(m, reason, "bounced", true, records.hardBounce(m.decision, at, reason));
    }

    /**
     * A customer the shop never gave an address for (an anonymous visitor) cannot be mailed, and nobody can fix
     * that: recorded and reported as an event, but kept out of the dead letters, which are for someone to look at.
     */
    void unaddressable(Mail m) {
        fail(m, "no e-mail address: the customer's profile has none", "no-address", false, null);
    }

    private void fail(Mail m, String reason, String outcome, boolean deadLetter,
                      ProducerRecord<String, byte[]> also) {
        metrics.mail(m.decision.campaign(), outcome);
        Instant at = m.decision.decidedAt().plusMillis(Math.max(0, System.currentTimeMillis() - m.producedAt));
        String state = deadLetter ? LedgerEntry.FAILED : LedgerEntry.NO_ADDRESS;
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>(List.of(ledger(m, state, reason)));
        if (!m.revocation) {
            // a revocation that could not be forwarded is no mail that failed: the dead letter says it
            out.add(records.emailFailed(m.decision, at, reason));
        }
        if (deadLetter) {
            out.add(records.deadLetter(m.decision.customerId(), m.raw, reason, source(m.partition, m.offset)));
        }
        if (also != null) {
            out.add(also);
        }
        settle(m, out);
    }

    /**
     * A revocation of a mail not seen here: recorded, so a copy of the mail that comes later is not sent; for a webhook
     * ({@code forward} not null) the revocation is recorded as not forwarded too, so a copy of it is not forwarded.
     */
    void voidUnseen(SendPartition p, long offset, Decision revocation, Mail forward) {
        p.open(offset);
        LedgerEntry e = new LedgerEntry(revocation.decisionId(), revocation.customerId(), revocation.campaign(),
                LedgerEntry.VOID, 0, Instant.now(), revocation.reason());
        p.ledger.put(e);
        List<Future<Void>> writes = new ArrayList<>(List.of(write(records.ledger(p.tp.partition(), e))));
        if (forward != null) {
            writes.add(write(ledger(forward, LedgerEntry.VOID, "not forwarded: the decision was never seen here")));
        }
        Future.all(writes).onComplete(ar -> settled(p, offset, ar));
    }

    /** A record that is not even a decision: only the dead-letter topic can take it. */
    void deadLetterOnly(SendPartition p, long offset, String key, byte[] raw, String reason) {
        p.open(offset);
        write(records.deadLetter(key, raw, reason, source(p, offset))).onComplete(ar -> settled(p, offset, ar));
    }

    /** Waits until everything handed to the producer is acknowledged or failed. */
    void flush() {
        producer.flush();
    }

    private void settle(Mail m, List<ProducerRecord<String, byte[]>> out) {
        List<Future<Void>> writes = new ArrayList<>();
        out.forEach(r -> writes.add(write(r)));
        Future.all(writes).onComplete(ar -> settled(m.partition, m.offset, ar));
    }

    private void settled(SendPartition p, long offset, AsyncResult<?> ar) {
        if (ar.succeeded()) {
            p.settle(offset);
        } else {
            lost(ar.cause());
        }
    }

    /**
     * Kafka refused a write even after the producer's retries: the offset stays uncommitted, and the verticle is
     * replaced, so the mails from there on are read again and the ledger decides what is left to send.
     */
    private void lost(Throwable cause) {
        if (!failed) {
            failed = true;
            LOG.error("send stage could not record to Kafka ({}); restarting it from the last committed offsets",
                    cause.toString());
            onFailure.run();
        }
    }

    private ProducerRecord<String, byte[]> ledger(Mail m, String state, String detail) {
        LedgerEntry e = new LedgerEntry(m.id(), m.decision.customerId(), m.decision.campaign(), state, m.attempt,
                Instant.now(), detail);
        m.partition.ledger.put(e);
        return records.ledger(m.partition.tp.partition(), e);
    }

    private Future<Void> write(ProducerRecord<String, byte[]> rec) {
        Promise<Void> p = Promise.promise();
        var ctx = vertx.getOrCreateContext();
        producer.send(rec, (meta, err) -> ctx.runOnContext(x -> {
            if (err != null && Oversize.refused(err) && !rec.topic().equals(records.deadLetterTopic())) {
                // one record too large for the broker must not stop the stage: its summary takes its place
                LOG.warn("the broker refused a record of {} bytes for {} as too large; its summary goes to {}",
                        rec.value() == null ? 0 : rec.value().length, rec.topic(), records.deadLetterTopic());
                write(Oversize.summary(rec, records.deadLetterTopic(), err)).onComplete(p);
            } else if (err != null) {
                p.fail(err);
            } else {
                p.complete();
            }
        }));
        return p.future();
    }

    private static String source(SendPartition p, long offset) {
        return p.tp.topic() + "-" + p.tp.partition() + "@" + offset;
    }
}
