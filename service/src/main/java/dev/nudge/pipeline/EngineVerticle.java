package dev.nudge.pipeline;

import dev.nudge.kafka.KafkaProps;
import dev.nudge.kafka.Oversize;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.config.NudgeConfig;
import dev.nudge.engine.PartitionEngine;
import dev.nudge.engine.SourceClock;
import dev.nudge.event.EventParser;
import dev.nudge.engine.RuleSet;
import dev.nudge.metrics.Metrics;
import dev.nudge.shadow.ShadowRules;
import io.vertx.core.Future;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.kie.api.KieServices;
import org.kie.api.runtime.KieContainer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The decision pipeline on Kafka: each polled event runs through its partition's rules, decisions and dead letters
 * are sent, and offsets are committed after their acknowledgement ({@link BatchLoop}). A worker verticle: rule work
 * never runs on an event loop.
 */
public final class EngineVerticle extends BatchLoop {

    private static final Logger LOG = LoggerFactory.getLogger(EngineVerticle.class);

    private final NudgeConfig config;
    private final Supplier<RuleSet> rules;
    private final Metrics metrics;
    private final RecordProcessor processor;
    private final ShadowEngines shadows;
    private final Runnable onFailure;
    private final Map<TopicPartition, PartitionState> states = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private final PartitionAssignments assignments;
    // one for all partitions of this consumer: a partition with few customers must not take its own silence for an
    // outage of the checkout stream
    private final SourceClock sources;
    private final EventParser parser;
    // this verticle's own KIE container: its sessions are updated in place on a reload, on this verticle's thread only
    private final Object rulesLock = new Object();
    private KieContainer container;
    private RuleSet inUse;

    /**
     * The {@code instance}-th engine of this process (from 1; its static group member name, if any, says so).
     * {@code onFailure} is called once when a batch cannot be sent: this verticle stops and must be replaced.
     */
    public EngineVerticle(NudgeConfig config, int instance, Supplier<RuleSet> rules, Metrics metrics, ObjectMapper json,
                          Runnable onFailure) {
        this(config, instance, rules, null, metrics, json, onFailure);
    }

    /** As above, running {@code shadow} rules beside the live ones whenever some are started (null: never). */
    public EngineVerticle(NudgeConfig config, int instance, Supplier<RuleSet> rules, ShadowRules shadow,
                          Metrics metrics, ObjectMapper json, Runnable onFailure) {
        super(config.kafka().topics().events(),
                KafkaProps.consumer(config.kafka().bootstrapServers(), config.kafka().consumerGroup(),
                        config.kafka().consumerOverrides("engine-" + instance)),
                KafkaProps.producer(config.kafka().bootstrapServers(), config.kafka().producerOverrides()));
        this.config = config;
        this.rules = rules;
        this.metrics = metrics;
        this.onFailure = onFailure;
        this.shadows = shadow == null ? null : new ShadowEngines(shadow, config, json, metrics);
        this.processor = new RecordProcessor(config.kafka().topics(), json, metrics, shadows, states);
        this.assignments = new PartitionAssignments(states, this::newState);
        this.sources = new SourceClock(config.engine().sourceMaxLag());
        this.parser = new EventParser(json);
    }

    @Override
    protected ConsumerRebalanceListener listener() {
        assignments.attach(consumer.unwrap());
        return assignments;
    }

    @Override
    public Future<?> start() {
        RuleSet r = rules.get();
        container = KieServices.Factory.get().newKieContainer(r.release());
        inUse = r.withKieBase(container.getKieBase());
        return super.start();
    }

    /**
     * Adopts reloaded rules between batches: the container updates every session of this verticle in place, so
     * working memory, windows and pending timers survive; a rule that fires again for events already decided is
     * absorbed by the decision ids the sessions remember.
     */
    private void adoptReloadedRules() {
        RuleSet latest = rules.get();
        if (latest.release().equals(inUse.release())) {
            return;
        }
        synchronized (rulesLock) {
            long start = System.nanoTime();
            var results = container.updateToVersion(latest.release());
            if (results.hasMessages(org.kie.api.builder.Message.Level.ERROR)) {
                LOG.error("rules {} could not be applied, {} stay: {}", latest.version(), inUse.version(),
                        results.getMessages(org.kie.api.builder.Message.Level.ERROR));
                return;
            }
            inUse = latest.withKieBase(container.getKieBase());
            states.values().forEach(s -> s.engine.rulesReloaded(inUse));
            LOG.info("rules {} in use on {} partitions after {} ms", inUse.version(), states.size(),
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    /**
     * A watermark saved ahead of the wall clock was moved there by an event from the future, before such events were
     * refused: resuming at it would keep the partition silenced, so the replay rebuilds event time instead.
     */
    private static Checkpoint.Mark saneWatermark(TopicPartition tp, Checkpoint.Mark mark, long latest,
                                                 boolean fasterThanTheClock) {
        if (mark.watermark() <= latest) {
            return mark;
        }
        // a demo run's time runs ahead of the wall clock by design: no cause for alarm there
        String line = "partition {}: the committed event time {} lies in the future; event time is rebuilt from the "
                + "replay";
        if (fasterThanTheClock) {
            LOG.debug(line, tp, java.time.Instant.ofEpochMilli(mark.watermark()));
        } else {
            LOG.warn(line, tp, java.time.Instant.ofEpochMilli(mark.watermark()));
        }
        return new Checkpoint.Mark(Long.MIN_VALUE, mark.replayFrom());
    }

    private PartitionState newState(TopicPartition tp, OffsetAndMetadata committed) {
        var e = config.engine();
        PartitionEngine engine;
        synchronized (rulesLock) {
            engine = new PartitionEngine(inUse, e.settings(), sources);
            CustomerState.restore(config.kafka().bootstrapServers(), config.kafka().topics().customers(),
                    tp.partition(), parser, engine);
            // from now on what the rules mark goes to the customers topic (the restored marks are there already)
            engine.recordMarks();
        }
        Optional<Checkpoint.Mark> mark = committed == null ? Optional.empty() : Checkpoint.Mark.decode(committed.metadata())
                .map(m -> saneWatermark(tp, m, System.currentTimeMillis() + e.maxClockSkew().toMillis(),
                        e.clockSpeed() > 1));
        long horizon = e.replayHorizon().toMillis();
        if (mark.isPresent() && mark.get().replayFrom() < committed.offset()) {
            LOG.debug("partition {}: replaying offsets {}..{} to rebuild pending triggers", tp,
                    mark.get().replayFrom(), committed.offset() - 1);
            return new PartitionState(engine, new Checkpoint(horizon, mark.get().replayFrom()), committed.offset(),
                    mark.get().watermark());
        }
        return new PartitionState(engine, new Checkpoint(horizon, committed == null ? 0 : committed.offset()), -1,
                Long.MIN_VALUE);
    }

    @Override
    protected Outbox process(ConsumerRecords<String, byte[]> records) {
        assignments.applyRevocations();
        adoptReloadedRules();
        if (shadows != null) {
            shadows.sync(states);
        }
        positions.keySet().retainAll(states.keySet());
        Outbox out = new Outbox();
        long now = System.currentTimeMillis();
        Map<TopicPartition, Long> next = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            PartitionState state = states.get(tp);
            List<ConsumerRecord<String, byte[]>> recs = records.records(tp);
            if (state == null || recs.isEmpty()) {
                continue;
            }
            recs.forEach(rec -> processor.process(rec, state, out));
            state.sawEvent(now);
            state.nextOffset = recs.get(recs.size() - 1).offset() + 1;
            next.put(tp, state.nextOffset);
        }
        var e = config.engine();
        // event time runs on only as far as the broker has told us nothing came: a broker outage is not a quiet shop
        long answered = lastFetchAnswered(now);
        processor.tick(states, answered, fetchesAnsweredSince(), e.idleTick().toMillis(), e.clockSpeed(), out);
        states.values().forEach(s -> s.engine.drainRuleActivity()
                .forEach((rule, c) -> metrics.ruleActivity(rule, c.fires(), c.failures(), c.consequenceNanos())));
        // the commit metadata describes the session as it is now, after this batch, whenever the commit happens
        next.forEach((tp, offset) -> {
            PartitionState s = states.get(tp);
            // a replaying partition re-reads what was committed already: committing its position would move the
            // group's offset back, and the next owner would handle the records between again as new
            if (s != null && !s.inReplay()) {
                long wm = s.engine.watermark();
                out.commit(tp, new OffsetAndMetadata(offset, new Checkpoint.Mark(wm, s.checkpoint.replayFrom(wm)).encode()));
                positions.put(tp, offset);
            }
        });
        return out;
    }

    @Override
    protected void acknowledged(Outbox.Pending p) {
        if (p.decision() != null) {
            metrics.decision(p.decision());
            metrics.latency(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - p.causeMillis())));
        }
    }

    @Override
    protected ProducerRecord<String, byte[]> summaryOf(ProducerRecord<String, byte[]> refused, Exception why) {
        LOG.warn("the broker refused a record of {} bytes for {} as too large; its summary goes to {}",
                refused.value() == null ? 0 : refused.value().length, refused.topic(),
                config.kafka().topics().deadLetters());
        return Oversize.summary(refused, config.kafka().topics().deadLetters(), why);
    }

    @Override
    protected void failed(Throwable cause) {
        LOG.error("decisions could not be sent ({}); restarting the engine from the last committed offsets",
                cause.toString());
        onFailure.run();
    }

    /** Facts in working memory over this verticle's partitions. */
    public long factCount() {
        return states.values().stream().mapToLong(s -> s.engine.factCount()).sum();
    }

    /** Shadow sessions this verticle holds (one per partition while shadow rules run). */
    public long shadowSessions() {
        return ShadowEngines.sessions(states);
    }

    /** Facts in the working memory of this verticle's shadow sessions. */
    public long shadowFactCount() {
        return ShadowEngines.facts(states);
    }

    /** The newest event time of each watched source over this verticle's partitions, for the source gauges. */
    public SourceClock sources() {
        return sources;
    }

    /** The next offset to process of each partition this verticle holds, for the lag gauge. */
    public Map<TopicPartition, Long> positions() {
        return Map.copyOf(positions);
    }

    @Override
    public Future<?> stop() {
        return super.stop().onComplete(x -> {
            states.values().forEach(PartitionState::close);
            assignments.applyRevocations();
        });
    }
}
