package dev.nudge.send;

import dev.nudge.config.SendConfig;
import dev.nudge.decision.Decision;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.SMTPException;
import io.vertx.ext.mail.StartTLSOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
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
    // a reply such as "550 5.1.1 <bob@shop.invalid>: mailbox unavailable": the address is wrong
    private static final java.util.regex.Pattern ADDRESS_STATUS = java.util.regex.Pattern.compile("^5\\d\\d[ -]5\\.1\\.\\d");

    private final Vertx vertx;
    private final SendConfig config;
    private final MailComposer composer;
    private final Outcomes outcomes;
    private final MailClient smtp;
    private final RateLimit rate;
    private final Backoff backoff;
    private final Map<String, Mail> waiting = new HashMap<>();
    private final ArrayDeque<Mail> ready = new ArrayDeque<>();
    private int inFlight;
    private long rateTimer = -1;
    private boolean stopped;
    private long lastRefusalWarning;
    /** The relay asked the whole channel to slow down: no new attempt before this (wall clock). */
    private long pausedUntil;
    private int throttledInARow;

    Dispatcher(Vertx vertx, SendConfig config, MailComposer composer, Outcomes outcomes) {
        this.vertx = vertx;
        this.config = config;
        this.composer = composer;
        this.outcomes = outcomes;
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

    /** True when the mail waits here for a partition this stage still owns: a copy of it is not sent again. */
    boolean isWaiting(String decisionId) {
        Mail m = waiting.get(decisionId);
        return m != null && !m.partition.revoked;
    }

    /**
     * Drops the mails of a partition that was taken from this stage and are not with the relay right now: their
     * offsets are not committed, so whoever owns the partition next (this stage again, or another) reads them again
     * and the ledger says what is left to do. A mail with the relay records its answer as ever.
     */
    void forget(SendPartition p) {
        List<Mail> gone = waiting.values().stream().filter(m -> m.partition == p && !m.inFlight).toList();
        for (Mail m : gone) {
            waiting.remove(m.id());
            ready.remove(m);
            if (m.timer >= 0) {
                vertx.cancelTimer(m.timer);
                m.timer = -1;
            }
        }
        if (!gone.isEmpty()) {
            LOG.info("{} waiting mails of {} left for its next owner", gone.size(), p.tp);
        }
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
            if (now < pausedUntil) {
                if (rateTimer < 0) {
                    rateTimer = vertx.setTimer(pausedUntil - now, t -> {
                        rateTimer = -1;
                        dispatch();
                    });
                }
                return;
            }
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
        outcomes.attempting(m)
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
        throttledInARow = 0;
        waiting.remove(m.id());
        outcomes.sent(m, messageId, Math.max(0, System.currentTimeMillis() - m.producedAt));
    }

    private void refused(Mail m, Throwable cause) {
        String reason = describe(cause);
        if (cause instanceof SMTPException s && s.isPermanent()) {
            waiting.remove(m.id());
            if (unknownAddress(s)) {
                outcomes.bounced(m, reason);
            } else {
                outcomes.fail(m, reason, "failed");
            }
            return;
        }
        if (m.voidedFor != null) {
            settleAs(m, LedgerEntry.VOID, m.voidedFor, "void");
            return;
        }
        if (throttling(cause)) {
            // the relay speaks for every mail of this sender, not just this one: all of them wait, longer each time
            throttledInARow++;
            long pause = backoff.millisAfter(throttledInARow);
            pausedUntil = Math.max(pausedUntil, System.currentTimeMillis() + pause);
            LOG.warn("the SMTP relay asks to slow down ({}): no mail for {} ms", describe(cause), pause);
        }
        long delay = backoff.millisAfter(m.attempt);
        if (System.currentTimeMillis() + delay - m.producedAt > config.giveUpAfter().toMillis()) {
            fail(m, "gave up after " + m.attempt + " attempts in " + config.giveUpAfter() + ": " + reason, "failed");
            return;
        }
        if (m.partition.revoked) {
            // refused for now, and its partition has moved on: its next owner retries it, after reading the ledger
            waiting.remove(m.id());
            outcomes.retrying(m, reason);
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
        outcomes.retrying(m, reason);
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
            m.voidedFor = revocation.reason();
            return;
        }
        if (m != null) {
            ready.remove(m);
            if (m.timer >= 0) {
                vertx.cancelTimer(m.timer);
            }
            settleAs(m, LedgerEntry.VOID, revocation.reason(), "void");
            return;
        }
        if (!p.ledger.settled(revocation.decisionId())) {
            outcomes.voidUnseen(p, offset, revocation);
        }
    }

    /** Settles a waiting mail without sending it: void. */
    private void settleAs(Mail m, String state, String detail, String outcome) {
        waiting.remove(m.id());
        outcomes.settleAs(m, state, detail, outcome);
    }

    private void fail(Mail m, String reason, String outcome) {
        waiting.remove(m.id());
        outcomes.fail(m, reason, outcome);
    }

    /**
     * The relay says the address itself is wrong (5.1.x: no such mailbox or domain; 551, 553): a hard bounce, unlike
     * a 5.7.x policy refusal, which says nothing about the address.
     */
    static boolean unknownAddress(SMTPException s) {
        // the client reads enhanced codes only from relays that announce them; many write them anyway
        return s.getEnhancedStatus() == SMTPException.EnhancedStatus.OTHER_ADDRESS || s.getReplyCode() == 551
                || s.getReplyCode() == 553 || ADDRESS_STATUS.matcher(String.valueOf(s.getReplyMessage())).find();
    }


    /**
     * A relay's answer about the sender rather than this mail: 421 (service unavailable, too many connections or
     * messages), 451 (local error, often "rate limited"), 454 (temporary TLS or authentication failure).
     */
    static boolean throttling(Throwable cause) {
        if (!(cause instanceof SMTPException s)) {
            return false;
        }
        int code = s.getReplyCode();
        return code == 421 || code == 451 || code == 454;
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
                outcomes.flush();
                smtp.close().onComplete(x -> done.complete());
            }
        });
        return done.future();
    }
}
