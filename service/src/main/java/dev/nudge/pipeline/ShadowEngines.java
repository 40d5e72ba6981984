package dev.nudge.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.config.NudgeConfig;
import dev.nudge.decision.Decision;
import dev.nudge.engine.PartitionEngine;
import dev.nudge.engine.SourceClock;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.EventParser;
import dev.nudge.event.ParseResult;
import dev.nudge.kafka.Headers;
import dev.nudge.kafka.PartitionReader;
import dev.nudge.metrics.Metrics;
import dev.nudge.shadow.ShadowRules;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * The shadow rules' sessions of one engine verticle: one per partition, beside the live one, fed the same events and
 * the same event time, deciding into the shadow topic only. Nothing flows back: the live session never sees a shadow
 * fact, the shadow sessions keep their own source clock, and whatever a shadow session throws ends the shadow run,
 * never the batch. Runs on the verticle's thread, between and inside batches.
 *
 * <p>A session that starts mid-stream first catches up as a restarted partition does: the customers topic, then the
 * events from the partition's replay start to where the live session stands, its decisions dropped; from then on it
 * knows what the live session knows, and the difference counts only decisions made after that.
 */
final class ShadowEngines {

    private static final Logger LOG = LoggerFactory.getLogger(ShadowEngines.class);

    private final ShadowRules shadows;
    private final NudgeConfig config;
    private final EventParser parser;
    private final ObjectMapper json;
    private final Metrics metrics;
    private ShadowRules.Run attached;
    private SourceClock sources;

    ShadowEngines(ShadowRules shadows, NudgeConfig config, ObjectMapper json, Metrics metrics) {
        this.shadows = shadows;
        this.config = config;
        this.parser = new EventParser(json);
        this.json = json;
        this.metrics = metrics;
    }

    /**
     * Takes up a start, replacement or withdrawal of the shadow rules, and gives a shadow session to each partition that
     * has none yet (one just assigned, or done with its replay).
     */
    void sync(Map<TopicPartition, PartitionState> states) {
        ShadowRules.Run run = shadows.current();
        if (run != attached) {
            detach(states);
            attached = run;
            sources = new SourceClock(config.engine().sourceMaxLag());
        }
        if (attached == null) {
            return;
        }
        for (Map.Entry<TopicPartition, PartitionState> e : states.entrySet()) {
            PartitionState s = e.getValue();
            if (s.shadow == null && !s.inReplay()) {
                try {
                    s.shadow = catchUp(e.getKey(), s);
                } catch (RuntimeException ex) {
                    fail(states, "could not start on partition " + e.getKey().partition() + ": " + ex);
                    return;
                }
            }
        }
    }

    /** A new shadow session for the partition, brought to where the live one stands. */
    private PartitionEngine catchUp(TopicPartition tp, PartitionState s) {
        long t0 = System.nanoTime();
        PartitionEngine shadow = new PartitionEngine(attached.rules(), config.engine().settings(), sources);
        try {
            CustomerState.restore(config.kafka().bootstrapServers(), config.kafka().topics().customers(),
                    tp.partition(), parser, shadow);
            long from = s.checkpoint.replayFrom(s.engine.watermark());
            long[] read = {0};
            if (s.nextOffset >= 0) {
                PartitionReader.readRange(config.kafka().bootstrapServers(), tp.topic(), tp.partition(), from,
                        s.nextOffset, rec -> {
                            if (parser.parse(rec.value()) instanceof ParseResult.Parsed p) {
                                shadow.accept(p.event(), rec.timestamp() >= 0 ? rec.timestamp()
                                        : System.currentTimeMillis()).decisions().forEach(this::beforeStart);
                                read[0]++;
                            }
                        });
            }
            if (s.engine.maxEventTime() != Long.MIN_VALUE) {
                // decided before the shadow started: the live rules' decisions of then are not compared either
                shadow.advanceEventTime(s.engine.maxEventTime()).forEach(this::beforeStart);
            }
            LOG.info("shadow rules {} on partition {}: caught up on {} events in {} ms", attached.rules()
                    .contentHash(), tp.partition(), read[0], (System.nanoTime() - t0) / 1_000_000);
            return shadow;
        } catch (RuntimeException e) {
            shadow.close();
            throw e;
        }
    }

    /** A decision the shadow made while catching up: if the live rules make it later, it is not a difference. */
    private void beforeStart(Decision d) {
        attached.tally().decidedBeforeStart(d.decisionId());
    }

    /**
     * The event the live session just took ({@code live}: what it decided) goes to the shadow session too; the shadow's
     * decisions go to the shadow topic. Never throws.
     */
    void accept(Map<TopicPartition, PartitionState> states, PartitionState s, CustomerEvent event, long received,
                List<Decision> live, Outbox out) {
        PartitionEngine shadow = s.shadow;
        if (shadow == null) {
            return;
        }
        attached.tally().live(live);
        try {
            PartitionEngine.Outcome o = shadow.accept(event, received);
            if (o.failed()) {
                attached.tally().ruleFailed(o.failure());
            }
            emit(s, o.decisions(), out);
        } catch (RuntimeException e) {
            fail(states, "failed on event " + event.eventId() + ": " + e);
        }
    }

    /** After the live session's idle tick ({@code live}: what fell due), the shadow's event time follows. */
    void ticked(Map<TopicPartition, PartitionState> states, PartitionState s, List<Decision> live, Outbox out) {
        PartitionEngine shadow = s.shadow;
        if (shadow == null) {
            return;
        }
        attached.tally().live(live);
        long newest = s.engine.maxEventTime();
        if (newest == Long.MIN_VALUE || newest <= shadow.maxEventTime()) {
            return;
        }
        try {
            emit(s, shadow.advanceEventTime(newest), out);
        } catch (RuntimeException e) {
            fail(states, "failed while event time moved on: " + e);
        }
    }

    private void emit(PartitionState s, List<Decision> decisions, Outbox out) {
        attached.tally().time(s.engine.maxEventTime());
        if (decisions.isEmpty()) {
            return;
        }
        for (Decision d : decisions) {
            // the live rules decided it before the shadow started, so their decision is not in the comparison
            if (s.engine.decided(d.decisionId()) && !attached.tally().hasLive(d.decisionId())) {
                attached.tally().decidedBeforeStart(d.decisionId());
            }
        }
        attached.tally().shadow(decisions);
        for (Decision d : decisions) {
            try {
                RecordHeaders headers = new RecordHeaders();
                headers.add(Headers.KIND, Headers.value(d.kind().code()));
                out.send(new ProducerRecord<>(config.kafka().topics().shadowDecisions(), null, d.customerId(),
                        json.writeValueAsBytes(d), headers));
                metrics.shadowDecision(d.campaign(), d.kind().code());
            } catch (JsonProcessingException e) {
                LOG.error("could not write shadow decision {}: {}", d.decisionId(), e.toString());
            }
        }
    }

    private void fail(Map<TopicPartition, PartitionState> states, String reason) {
        LOG.error("shadow rules {} {}; they are withdrawn, the live rules carry on", attached.rules().contentHash(),
                reason);
        shadows.failed(attached.id(), reason);
        detach(states);
        // the failed run is over here; a run started since is taken up at the next batch
        attached = null;
    }

    /** Disposes every shadow session of this verticle: their working memory goes with them. */
    void detach(Map<TopicPartition, PartitionState> states) {
        for (PartitionState s : states.values()) {
            PartitionEngine shadow = s.shadow;
            if (shadow != null) {
                s.shadow = null;
                shadow.close();
            }
        }
    }

    /** Shadow sessions this verticle holds. */
    static long sessions(Map<TopicPartition, PartitionState> states) {
        return states.values().stream().filter(s -> s.shadow != null).count();
    }

    /** Facts in them. */
    static long facts(Map<TopicPartition, PartitionState> states) {
        return states.values().stream().map(s -> s.shadow).filter(java.util.Objects::nonNull)
                .mapToLong(PartitionEngine::factCount).sum();
    }
}
