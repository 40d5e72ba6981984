package dev.nudge.send;

import dev.nudge.config.SendConfig;
import dev.nudge.decision.Decision;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Takes the mails of one {@link Channel} (the SMTP relay, or one webhook endpoint) out at the configured rate, a few
 * at a time, and settles each one: sent, retried later with backoff (transient refusals, a relay or endpoint that is
 * down), or failed for good to the send dead-letter topic. Every step is written to the ledger before the next; runs
 * on one Vert.x context.
 *
 * <p>The one window SMTP cannot close: the relay accepted a mail and the process died before the "sent" entry
 * reached the ledger. The entry written just before the attempt ("sending") then says the mail is in doubt, and it is
 * not sent again. A webhook's receiver recognises a repeated call by its idempotency key, so there the call is made
 * again.
 */
final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final long STOP_WAIT_MILLIS = 10_000;
    private static final long REFUSAL_WARNING_EVERY_MILLIS = 60_000;

    private final Vertx vertx;
    private final SendConfig config;
    private final String name;
    private final Channel channel;
    private final Outcomes outcomes;
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

    /** {@code name}: the channel in metrics ({@code smtp}, {@code webhook:braze}). */
    Dispatcher(Vertx vertx, SendConfig config, String name, Channel channel, Outcomes outcomes) {
        this.vertx = vertx;
        this.name = name;
        this.config = config;
        this.channel = channel;
        this.outcomes = outcomes;
        this.rate = new RateLimit(config.ratePerMinute(), System.currentTimeMillis());
        this.backoff = new Backoff(config.retryFirst(), config.retryMax(), ThreadLocalRandom.current()::nextDouble);
        outcomes.throttled(name, 0);
    }

    Channel channel() {
        return channel;
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
            unqueue(m);
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
        m.attempt++;
        m.inFlight = true;
        inFlight++;
        outcomes.attempting(m)
                .compose(x -> channel.deliver(m))
                .onComplete(ar -> {
                    inFlight--;
                    m.inFlight = false;
                    if (ar.succeeded()) {
                        sent(m, ar.result());
                    } else {
                        refused(m, ar.cause());
                    }
                    if (m.pendingRevocation != null) {
                        // revoked while the endpoint had the call: it may have acted on it, so it hears of the revocation
                        enqueue(m.pendingRevocation);
                    }
                    dispatch();
                });
    }

    private void sent(Mail m, String receipt) {
        throttledInARow = 0;
        waiting.remove(m.id());
        if (m.revocation) {
            outcomes.forwarded(m, receipt);
        } else {
            outcomes.sent(m, receipt, Math.max(0, System.currentTimeMillis() - m.producedAt));
        }
    }

    private void refused(Mail m, Throwable cause) {
        Channel.Refusal refusal = channel.judge(cause);
        String reason = refusal.reason();
        switch (refusal.kind()) {
            case UNRENDERABLE -> {
                fail(m, reason, "template");
                return;
            }
            case BOUNCED -> {
                waiting.remove(m.id());
                outcomes.bounced(m, reason);
                return;
            }
            case PERMANENT -> {
                fail(m, reason, "failed");
                return;
            }
            case THROTTLED, TRANSIENT -> {
                // tried again below
            }
        }
        if (m.voidedFor != null) {
            settleAs(m, LedgerEntry.VOID, m.voidedFor, "void");
            return;
        }
        if (refusal.kind() == Channel.Refusal.Kind.THROTTLED) {
            // the other side speaks for every mail of this channel, not just this one: all of them wait, longer each
            // time in a row, or as long as it asked (Retry-After)
            throttledInARow++;
            outcomes.throttled(name, 1);
            long pause = refusal.retryAfterMillis() >= 0 ? refusal.retryAfterMillis()
                    : backoff.millisAfter(throttledInARow);
            pausedUntil = Math.max(pausedUntil, System.currentTimeMillis() + pause);
            LOG.warn("{} asks to slow down ({}): nothing goes there for {} ms", channel.describe(), reason, pause);
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
        LOG.debug("{} to {} refused for now by {} ({}); attempt {} in {} ms", m.id(), m.decision.customerId(),
                channel.describe(), reason, m.attempt + 1, delay);
        long now = System.currentTimeMillis();
        if (now - lastRefusalWarning > REFUSAL_WARNING_EVERY_MILLIS) {
            // one line a minute while the other side refuses, not one per mail and attempt
            lastRefusalWarning = now;
            LOG.warn("{} refuses for now ({}); {} wait, retried with backoff up to {}", channel.describe(), reason,
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
     * The rules revoked a decided mail: dropped if it still waits here; if it is out right now, dropped only if the
     * other side refuses it; if it went out, it stays sent. A channel whose other side can act on a revocation (a
     * webhook) also gets it, as a call of its own, whenever it may have had the decision.
     */
    void revoke(SendPartition p, long offset, Decision revocation, byte[] raw, long producedAt) {
        if (!channel.idempotent()) {
            revokeMail(p, offset, revocation);
            return;
        }
        String rid = revocation.decisionId() + Mail.REVOKED;
        if (isWaiting(rid) || p.ledger.settled(rid)) {
            // a copy of a revocation forwarded already, or being forwarded
            return;
        }
        LedgerEntry open = p.ledger.open(rid);
        Mail forward = Mail.revocation(p, offset, revocation, raw, producedAt, open == null ? 0 : open.attempt());
        p.open(offset);
        Mail m = waiting.get(revocation.decisionId());
        if (m != null && m.inFlight) {
            m.voidedFor = revocation.reason();
            m.pendingRevocation = forward;
            return;
        }
        if (m != null) {
            unqueue(m);
            settleAs(m, LedgerEntry.VOID, revocation.reason(), "void");
            if (m.attempt == 0 && open == null) {
                outcomes.notForwarded(forward, "not forwarded: the endpoint was never called with the decision");
                return;
            }
            enqueue(forward);
            return;
        }
        if (open != null || p.ledger.settled(revocation.decisionId()) || p.ledger.open(revocation.decisionId()) != null) {
            enqueue(forward);
            return;
        }
        outcomes.voidUnseen(p, offset, revocation, forward);
    }

    private void revokeMail(SendPartition p, long offset, Decision revocation) {
        Mail m = waiting.get(revocation.decisionId());
        if (m != null && m.inFlight) {
            m.voidedFor = revocation.reason();
            return;
        }
        if (m != null) {
            unqueue(m);
            settleAs(m, LedgerEntry.VOID, revocation.reason(), "void");
            return;
        }
        if (!p.ledger.settled(revocation.decisionId())) {
            outcomes.voidUnseen(p, offset, revocation, null);
        }
    }

    /** Settles a waiting mail without sending it: void. */
    /** Takes a mail out of the queue and stops its retry timer: it will not be tried again. */
    private void unqueue(Mail m) {
        ready.remove(m);
        if (m.timer >= 0) {
            vertx.cancelTimer(m.timer);
            m.timer = -1;
        }
    }

    private void settleAs(Mail m, String state, String detail, String outcome) {
        waiting.remove(m.id());
        outcomes.settleAs(m, state, detail, outcome);
    }

    private void fail(Mail m, String reason, String outcome) {
        waiting.remove(m.id());
        outcomes.fail(m, reason, outcome);
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

    /** Waits a little for the mails out right now, so their answer reaches the ledger. */
    Future<Void> close() {
        Promise<Void> done = Promise.promise();
        long deadline = System.currentTimeMillis() + STOP_WAIT_MILLIS;
        vertx.setPeriodic(20, t -> {
            if (inFlight == 0 || System.currentTimeMillis() > deadline) {
                vertx.cancelTimer(t);
                outcomes.flush();
                channel.close().onComplete(x -> done.complete());
            }
        });
        return done.future();
    }
}
