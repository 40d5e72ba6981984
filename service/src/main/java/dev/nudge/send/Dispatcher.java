package dev.nudge.send;

import dev.nudge.config.SendConfig;
import dev.nudge.engine.Decision;
import dev.nudge.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.SMTPException;
import io.vertx.ext.mail.StartTLSOptions;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Takes mails to the SMTP relay at the configured rate, a few at a time, and settles each one: sent, retried later
 * with backoff (transient refusals, a relay that is down), or failed for good (5xx, no address) to the send
 * dead-letter topic. Every step is written to the ledger before the next; runs on one Vert.x context.
 *
 * <p>The one window that cannot be closed: the relay accepted a mail and the process died before the "sent" entry
 * reached the ledger. The entry written just before the attempt ("sending") then says the mail is in doubt, and it is
 * not sent again.
 */
final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final long STOP_WAIT_MILLIS = 10_000;
    private static final long REFUSAL_WARNING_EVERY_MILLIS = 60_000;

    private final Vertx vertx;
    private final SendConfig config;
    private final MailComposer composer;
    private final Producer<String, byte[]> producer;
    private final SendRecords records;
    private final Metrics metrics;
    private final MailClient smtp;
    private final RateLimit rate;
    private final Backoff backoff;
    private final Map<String, Mail> waiting = new HashMap<>();
    private final ArrayDeque<Mail> ready = new ArrayDeque<>();
    private int inFlight;
    private long rateTimer = -1;
    private boolean stopped;
    private long lastRefusalWarning;

    Dispatcher(Vertx vertx, SendConfig config, MailComposer composer, Producer<String, byte[]> producer,
               SendRecords records, Metrics metrics) {
        this.vertx = vertx;
        this.config = config;
        this.composer = composer;
        this.producer = producer;
        this.records = records;
        this.metrics = metrics;
        this.smtp = MailClient.create(vertx, mailConfig(config));
        this.rate = new RateLimit(config.ratePerMinute(), System.currentTimeMillis());
        this.backoff = new Backoff(config.retryFirst(), config.retryMax(), ThreadLocalRandom.current()::nextDouble);
    }

    static MailConfig mailConfig(SendConfig config) {
        var s = config.smtp();
        MailConfig m = new MailConfig().setHostname(s.host()).setPort(s.port())
                .setStarttls(StartTLSOptions.valueOf(s.startTls())).setSsl(s.ssl())
                .setConnectTimeout((int) s.timeout().toMillis())
                .setIdleTimeout((int) s.timeout().toSeconds())
                .setMaxPoolSize(Math.max(1, config.maxInFlight()))
                .setKeepAlive(true);
        if (s.username() != null) {
            m.setUsername(s.username()).setPassword(s.password());
        }
        return m;
    }

    int waitingCount() {
        return waiting.size();
    }

    boolean isWaiting(String decisionId) {
        return waiting.containsKey(decisionId);
    }

    void enqueue(Mail m) {
        waiting.put(m.id(), m);
        ready.add(m);
        dispatch();
    }

    /** Takes ready mails to the relay while the rate and the in-flight limit allow. */
    private void dispatch() {
        while (!stopped && !ready.isEmpty() && inFlight < config.maxInFlight()) {
            long now = System.currentTimeMillis();
            if (!rate.tryTake(now)) {
                if (rateTimer < 0) {
                    rateTimer = vertx.setTimer(Math.max(1, rate.millisUntilNext(now)), t -> {
                        rateTimer = -1;
                        dispatch();
                    });
                }
                return;
            }
            attempt(ready.poll());
        }
    }

    private void attempt(Mail m) {
        if (m.partition.revoked) {
            // its partition has a new owner, which reads it again from the last commit
            waiting.remove(m.id());
            return;
        }
        MailMessage message;
        try {
            message = composer.compose(m.decision);
        } catch (MailRenderException e) {
            fail(m, "template: " + e.getMessage(), "template");
            return;
        }
        m.attempt++;
        m.inFlight = true;
        inFlight++;
        write(ledger(m, LedgerEntry.SENDING, null))
                .compose(x -> smtp.sendMail(message))
                .onComplete(ar -> {
                    inFlight--;
                    m.inFlight = false;
                    if (ar.succeeded()) {
                        sent(m, ar.result().getMessageID());
                    } else {
                        refused(m, ar.cause());
                    }
                    dispatch();
                });
    }

    private void sent(Mail m, String messageId) {
        long waited = System.currentTimeMillis() - m.producedAt;
        metrics.mail(m.decision.campaign(), "sent");
        metrics.mailDelivery(Duration.ofMillis(Math.max(0, waited)));
        Instant at = m.decision.decidedAt().plusMillis(Math.max(0, waited));
        settle(m, List.of(ledger(m, LedgerEntry.SENT, messageId), records.emailSent(m.decision, at)));
    }

    private void refused(Mail m, Throwable cause) {
        String reason = describe(cause);
        if (cause instanceof SMTPException s && s.isPermanent()) {
            fail(m, reason, "failed");
            return;
        }
        if (m.voidedFor != null) {
            settleAs(m, LedgerEntry.VOID, m.voidedFor, "void");
            return;
        }
        long delay = backoff.millisAfter(m.attempt);
        if (System.currentTimeMillis() + delay - m.producedAt > config.giveUpAfter().toMillis()) {
            fail(m, "gave up after " + m.attempt + " attempts in " + config.giveUpAfter() + ": " + reason, "failed");
            return;
        }
        LOG.debug("mail {} to {} refused for now ({}); attempt {} in {} ms", m.id(), m.decision.customerId(), reason,
                m.attempt + 1, delay);
        long now = System.currentTimeMillis();
        if (now - lastRefusalWarning > REFUSAL_WARNING_EVERY_MILLIS) {
            // one line a minute while the relay refuses, not one per mail and attempt
            lastRefusalWarning = now;
            LOG.warn("the SMTP relay refuses mail for now ({}); {} mails wait, retried with backoff up to {}", reason,
                    waiting.size(), config.retryMax());
        }
        metrics.mail(m.decision.campaign(), "retried");
        // recorded, so a new owner knows it was not sent and goes on retrying rather than calling it in doubt
        write(ledger(m, LedgerEntry.RETRY, reason)).onFailure(this::lost);
        m.timer = vertx.setTimer(delay, t -> {
            m.timer = -1;
            if (!stopped && waiting.get(m.id()) == m) {
                ready.add(m);
                dispatch();
            }
        });
    }

    /**
     * The rules revoked a decided mail: dropped if it still waits here; if it is with the relay right now, dropped
     * only if the relay refuses it; if it went out, it stays sent.
     */
    void revoke(SendPartition p, long offset, Decision revocation) {
        Mail m = waiting.get(revocation.decisionId());
        if (m != null && m.inFlight) {
            m.voidedFor = revocation.voided();
            return;
        }
        if (m != null) {
            ready.remove(m);
            if (m.timer >= 0) {
                vertx.cancelTimer(m.timer);
            }
            settleAs(m, LedgerEntry.VOID, revocation.voided(), "void");
            return;
        }
        LedgerEntry known = p.ledger.get(revocation.decisionId());
        if (known == null || !known.settled()) {
            // recorded even for a mail not seen here, so a copy of it that comes later is not sent
            p.open(offset);
            LedgerEntry e = new LedgerEntry(revocation.decisionId(), revocation.customerId(), revocation.campaign(),
                    LedgerEntry.VOID, 0, Instant.now(), revocation.voided());
            p.ledger.put(e.decisionId(), e);
            write(records.ledger(p.tp.partition(), e)).onComplete(ar -> settled(p, offset, ar));
        }
    }

    /** Settles a mail without sending it: holdout, void. */
    void settleAs(Mail m, String state, String detail, String outcome) {
        metrics.mail(m.decision.campaign(), outcome);
        settle(m, List.of(ledger(m, state, detail)));
    }

    /** Gives a mail up for good: the send dead-letter topic gets the decision with the reason. */
    void fail(Mail m, String reason, String outcome) {
        LOG.warn("mail {} to {} ({}) not sent: {}", m.id(), m.decision.customerId(), m.decision.campaign(), reason);
        fail(m, reason, outcome, true);
    }

    /**
     * A customer the shop never gave an address for (an anonymous visitor) cannot be mailed, and nobody can fix
     * that: recorded and reported as an event, but kept out of the dead letters, which are for someone to look at.
     */
    void unaddressable(Mail m) {
        fail(m, "no e-mail address: the customer's profile has none", "no-address", false);
    }

    private void fail(Mail m, String reason, String outcome, boolean deadLetter) {
        metrics.mail(m.decision.campaign(), outcome);
        Instant at = m.decision.decidedAt().plusMillis(Math.max(0, System.currentTimeMillis() - m.producedAt));
        String state = deadLetter ? LedgerEntry.FAILED : LedgerEntry.NO_ADDRESS;
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>(List.of(ledger(m, state, reason),
                records.emailFailed(m.decision, at, reason)));
        if (deadLetter) {
            out.add(records.deadLetter(m.decision.customerId(), m.raw, reason, source(m.partition, m.offset)));
        }
        settle(m, out);
    }

    /** A record that is not even a decision: only the dead-letter topic can take it. */
    void deadLetterOnly(SendPartition p, long offset, String key, byte[] raw, String reason) {
        write(records.deadLetter(key, raw, reason, source(p, offset))).onComplete(ar -> settled(p, offset, ar));
    }

    private void settle(Mail m, List<ProducerRecord<String, byte[]>> out) {
        waiting.remove(m.id());
        List<Future<Void>> writes = new ArrayList<>();
        out.forEach(r -> writes.add(write(r)));
        Future.all(writes).onComplete(ar -> settled(m.partition, m.offset, ar));
    }

    private void settled(SendPartition p, long offset, io.vertx.core.AsyncResult<?> ar) {
        if (ar.succeeded()) {
            p.settle(offset);
        } else {
            lost(ar.cause());
        }
    }

    /** Kafka refused a write even after the producer's retries: the offset stays, so the mail is read again. */
    private void lost(Throwable cause) {
        LOG.error("send stage could not record to Kafka ({}); its offset is not committed and is read again after a "
                + "restart", cause.toString());
    }

    private ProducerRecord<String, byte[]> ledger(Mail m, String state, String detail) {
        LedgerEntry e = new LedgerEntry(m.id(), m.decision.customerId(), m.decision.campaign(), state, m.attempt,
                Instant.now(), detail);
        m.partition.ledger.put(m.id(), e);
        return records.ledger(m.partition.tp.partition(), e);
    }

    private Future<Void> write(ProducerRecord<String, byte[]> rec) {
        Promise<Void> p = Promise.promise();
        var ctx = vertx.getOrCreateContext();
        producer.send(rec, (meta, err) -> ctx.runOnContext(x -> {
            if (err != null) {
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

    private static String describe(Throwable cause) {
        if (cause instanceof SMTPException s) {
            // the reply as the relay wrote it: code, enhanced status and text
            return s.getReplyMessage();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /** Takes no new attempts; retries are cancelled (their offsets stay uncommitted, so they are read again). */
    void stop() {
        stopped = true;
        waiting.values().forEach(m -> {
            if (m.timer >= 0) {
                vertx.cancelTimer(m.timer);
            }
        });
    }

    /** Waits a little for the mails with the relay right now, so their answer reaches the ledger. */
    Future<Void> close() {
        Promise<Void> done = Promise.promise();
        long deadline = System.currentTimeMillis() + STOP_WAIT_MILLIS;
        vertx.setPeriodic(20, t -> {
            if (inFlight == 0 || System.currentTimeMillis() > deadline) {
                vertx.cancelTimer(t);
                producer.flush();
                smtp.close().onComplete(x -> done.complete());
            }
        });
        return done.future();
    }
}
