package dev.nudge.send;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.config.NudgeConfig;
import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionJson;
import dev.nudge.metrics.Metrics;
import dev.nudge.supervise.Heartbeat;
import dev.nudge.kafka.KafkaProps;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.consumer.KafkaReadStream;
import io.vertx.kafka.client.producer.KafkaProducer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The send stage's Kafka side: reads decisions, consults the ledger, hands mails to the {@link Dispatcher} of their
 * campaign's channel (SMTP, or a webhook), and commits an offset only once every mail before it is settled (sent,
 * failed, void, holdout) and recorded.
 *
 * <p>A revocation (a decision with {@code voided}) follows the mail it revokes in the same partition, so a mail still
 * waiting here (rate limit, retries) is dropped; one already accepted by the relay stays sent, and a webhook that
 * may have had it is told.
 */
public final class SendVerticle extends VerticleBase implements Heartbeat {

    private static final Logger LOG = LoggerFactory.getLogger(SendVerticle.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final long COMMIT_EVERY_MILLIS = 500;
    // how far back the ledger is read: the decisions topic keeps a week, so nothing older can come again
    private static final Duration LEDGER_MEMORY = Duration.ofDays(8);

    private final NudgeConfig config;
    private final MailComposer composer;
    private final Metrics metrics;
    private final DecisionJson decisions;
    private final SendRecords records;
    private final Map<TopicPartition, SendPartition> partitions = new ConcurrentHashMap<>();
    private final ObjectMapper json;
    private final Runnable onFailure;
    private KafkaReadStream<String, byte[]> consumer;
    private KafkaProducer<String, byte[]> producer;
    private Channels channels;
    private Outcomes outcomes;
    private long commitTimer;
    private boolean paused;
    private volatile boolean stopping;
    private volatile long lastPollMillis;

    /** {@code onFailure} is called once when Kafka refuses a record for good: this verticle must be replaced. */
    public SendVerticle(NudgeConfig config, MailTemplates templates, UnsubscribeTokens tokens, Metrics metrics,
                        ObjectMapper json, Runnable onFailure) {
        this.onFailure = onFailure;
        this.config = config;
        this.metrics = metrics;
        this.json = json;
        this.composer = new MailComposer(templates, tokens, config.send().from(), config.send().shopUrl(),
                config.send().publicUrl());
        this.decisions = new DecisionJson(json);
        this.records = new SendRecords(config.kafka().topics(), json);
    }

    @Override
    public Future<?> start() {
        var kafka = config.kafka();
        producer = KafkaProducer.create(vertx, KafkaProps.producer(kafka.bootstrapServers(), kafka.producerOverrides()));
        outcomes = new Outcomes(vertx, producer.unwrap(), records, metrics, onFailure);
        channels = new Channels(vertx, config.send(), composer, outcomes, json);
        Map<String, String> props = KafkaProps.consumer(kafka.bootstrapServers(), config.send().consumerGroup(),
                kafka.consumerOverrides("send"));
        props.put("max.poll.records", "500");
        // a rebalance takes only the partitions that move: an instance keeps its own, and the mails waiting on them
        props.putIfAbsent("partition.assignment.strategy",
                org.apache.kafka.clients.consumer.CooperativeStickyAssignor.class.getName());
        consumer = KafkaReadStream.create(vertx, new HashMap<>(props));
        String topic = kafka.topics().decisions();
        return consumer.subscribe(Set.of(topic)).map(v -> {
            // our own listener runs inside poll(): the ledger is read before the first decision of a partition
            consumer.unwrap().subscribe(List.of(topic), new Listener());
            commitTimer = vertx.setPeriodic(COMMIT_EVERY_MILLIS, t -> commit());
            context.runOnContext(x -> pollLoop());
            return null;
        });
    }

    private void pollLoop() {
        if (stopping) {
            return;
        }
        backpressure();
        consumer.poll(POLL_TIMEOUT).onComplete(ar -> {
            if (stopping) {
                return;
            }
            if (ar.failed()) {
                LOG.error("poll of decisions failed, polling again: {}", ar.cause().toString());
            } else {
                lastPollMillis = System.currentTimeMillis();
                handle(ar.result());
            }
            pollLoop();
        });
    }

    /**
     * Too many mails waiting: stop fetching (the consumer keeps polling, so it stays in its group). Through the
     * stream's own calls, which run on the consumer's thread: the consumer must not be touched from two threads.
     */
    private void backpressure() {
        boolean full = channels.waitingCount() >= config.send().maxWaiting();
        if (full) {
            // again on every round: a partition assigned meanwhile must be paused too
            consumer.assignment().compose(consumer::pause)
                    .onFailure(e -> LOG.warn("could not pause the decisions: {}", e.toString()));
        } else if (paused) {
            consumer.assignment().compose(consumer::resume)
                    .onFailure(e -> LOG.warn("could not resume the decisions: {}", e.toString()));
        }
        paused = full;
    }

    private void handle(ConsumerRecords<String, byte[]> batch) {
        for (ConsumerRecord<String, byte[]> rec : batch) {
            SendPartition p = partitions.get(new TopicPartition(rec.topic(), rec.partition()));
            if (p != null) {
                try {
                    handle(p, rec);
                } catch (RuntimeException e) {
                    // a record this stage cannot handle must neither stop the loop nor be lost: it is kept, with why
                    LOG.error("send stage failed on {}-{}@{}: {}", rec.topic(), rec.partition(), rec.offset(),
                            e.toString());
                    outcomes.deadLetterOnly(p, rec.offset(), rec.key(), rec.value(), "send stage error: " + e);
                }
                p.taken(rec.offset());
            }
        }
    }

    private void handle(SendPartition p, ConsumerRecord<String, byte[]> rec) {
        Decision d;
        try {
            d = decisions.read(rec.value());
        } catch (IOException | RuntimeException e) {
            LOG.warn("send dead-lettered {}-{}@{}: unreadable decision: {}", rec.topic(), rec.partition(), rec.offset(),
                    e.getMessage());
            outcomes.deadLetterOnly(p, rec.offset(), rec.key(), rec.value(), "unreadable decision: " + e.getMessage());
            return;
        }
        Dispatcher dispatcher = channels.of(d.campaign());
        SendTriage.Known known = new SendTriage.Known(p.ledger.settled(d.decisionId()),
                dispatcher.isWaiting(d.decisionId()), p.ledger.open(d.decisionId()));
        SendTriage.Verdict verdict = SendTriage.of(d, known, rec.timestamp(), System.currentTimeMillis(),
                config.send().giveUpAfter(), dispatcher.channel().idempotent());
        switch (verdict.action()) {
            case REVOKE -> dispatcher.revoke(p, rec.offset(), d, rec.value(), rec.timestamp());
            case DUPLICATE -> metrics.mail(d.campaign(), "duplicate");
            default -> settleOrSend(p, rec, d, known.open(), verdict, dispatcher);
        }
    }

    /** A decision that is a mail here from now on: opened at its offset, then settled or handed to the dispatcher. */
    private void settleOrSend(SendPartition p, ConsumerRecord<String, byte[]> rec, Decision d, LedgerEntry known,
                              SendTriage.Verdict verdict, Dispatcher dispatcher) {
        Mail mail = new Mail(p, rec.offset(), d, rec.value(), rec.timestamp(), known != null ? known.attempt() : 0);
        p.open(rec.offset());
        switch (verdict.action()) {
            case IN_DOUBT -> outcomes.fail(mail, verdict.detail(), "in-doubt");
            case HOLDOUT -> outcomes.settleAs(mail, LedgerEntry.HOLDOUT, verdict.detail(), "holdout");
            case NOT_A_MAIL -> outcomes.settleAs(mail, LedgerEntry.VOID, verdict.detail(), "void");
            case EXPIRED -> outcomes.fail(mail, verdict.detail(), "expired");
            case NO_ADDRESS -> outcomes.unaddressable(mail);
            case INVALID_ADDRESS -> outcomes.fail(mail, verdict.detail(), "failed");
            case SEND -> dispatcher.enqueue(mail);
            case REVOKE, DUPLICATE -> throw new IllegalStateException("not a mail: " + verdict.action());
        }
    }

    private Future<Void> commit() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        partitions.forEach((tp, p) -> {
            long point = p.commitPoint();
            if (point >= 0) {
                offsets.put(tp, new OffsetAndMetadata(point));
            }
        });
        if (offsets.isEmpty()) {
            return Future.succeededFuture();
        }
        return consumer.commit(offsets).onSuccess(x -> offsets.forEach((tp, o) -> {
            SendPartition p = partitions.get(tp);
            if (p != null) {
                p.committed(o.offset());
            }
        })).<Void>mapEmpty().recover(err -> {
            // a later commit carries these offsets too; a lost partition's new owner reads its mails again
            LOG.warn("commit of send offsets {} failed: {}", offsets.keySet(), err.toString());
            return Future.succeededFuture();
        });
    }

    /** Runs inside {@code poll()} on the consumer's thread. */
    private final class Listener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            Instant since = Instant.now().minus(LEDGER_MEMORY);
            for (TopicPartition tp : assigned) {
                LedgerIndex ledger = Ledger.load(config.kafka().bootstrapServers(), config.kafka().topics().sent(),
                        tp.partition(), json, since);
                partitions.put(tp, new SendPartition(tp, ledger));
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            for (TopicPartition tp : revoked) {
                SendPartition p = partitions.remove(tp);
                if (p != null) {
                    p.revoked = true;
                    // its waiting mails are its next owner's to read again from the commit, even when that is us
                    context.runOnContext(x -> channels.forget(p));
                    long point = p.commitPoint();
                    if (point >= 0) {
                        // on the consumer's own thread, inside poll(): a synchronous commit is allowed here
                        consumer.unwrap().commitSync(Map.of(tp, new OffsetAndMetadata(point)));
                    }
                }
            }
        }
    }

    @Override
    public long lastPollMillis() {
        return lastPollMillis;
    }

    /** Mails waiting (rate limit, retries, in flight) over all partitions of this verticle. */
    public int waitingCount() {
        return channels == null ? 0 : channels.waitingCount();
    }

    @Override
    public Future<?> stop() {
        stopping = true;
        vertx.cancelTimer(commitTimer);
        channels.stop();
        // the mails out now get their answer recorded, then what is settled is committed
        return channels.close().transform(x -> commit()).transform(x -> consumer.close())
                .eventually(() -> producer.close(10_000));
    }
}
