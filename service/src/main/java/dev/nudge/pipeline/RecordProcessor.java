package dev.nudge.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.config.Topics;
import dev.nudge.decision.Conversion;
import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionKind;
import dev.nudge.engine.MarkChange;
import dev.nudge.engine.PartitionEngine;
import dev.nudge.event.ConsentSignal;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.CustomerMerged;
import dev.nudge.event.EventParser;
import dev.nudge.event.EventWriter;
import dev.nudge.event.ParseResult;
import dev.nudge.event.Refusal;
import dev.nudge.kafka.Headers;
import dev.nudge.metrics.Metrics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns consumed event records into decision and dead-letter records: parse, run the partition's rules, stamp
 * the outcome. Does no I/O, so the Kafka verticle stays a thin loop around it.
 */
final class RecordProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(RecordProcessor.class);
    /** Merges an event may follow: a chain of ids merged one into the next is short, a loop is endless. */
    static final int MAX_HOPS = 8;


    private final Topics topics;
    private final EventParser parser;
    private final ObjectMapper json;
    private final Metrics metrics;
    private final EventWriter writer;
    private final ShadowEngines shadows;
    private final Map<TopicPartition, PartitionState> states;

    RecordProcessor(Topics topics, ObjectMapper json, Metrics metrics) {
        this(topics, json, metrics, null, Map.of());
    }

    /** With shadow rules run beside the live ones on the partitions of {@code states}; null for none. */
    RecordProcessor(Topics topics, ObjectMapper json, Metrics metrics, ShadowEngines shadows,
                    Map<TopicPartition, PartitionState> states) {
        this.shadows = shadows;
        this.states = states;
        this.topics = topics;
        this.parser = new EventParser(json);
        this.json = json;
        this.metrics = metrics;
        this.writer = new EventWriter(json);
    }

    /**
     * One record: its decisions and what to keep, or its dead letter. Whatever goes wrong with one record is that
     * record's dead letter, never the end of its batch or of the loop.
     */
    void process(ConsumerRecord<String, byte[]> rec, PartitionState state, Outbox out) {
        boolean replay = state.replaying(rec.offset());
        try {
            handle(rec, state, replay, out);
        } catch (RuntimeException e) {
            LOG.error("could not process {}-{}@{}: {}", rec.topic(), rec.partition(), rec.offset(), e.toString());
            if (!replay) {
                deadLetter(rec, new Refusal(Refusal.Kind.FAILED, "Nudge could not process it: " + e), out);
            }
        }
        // in a replay too: a mark made again was restored and is not made twice, one made anew was lost with a batch
        keepMarks(state.engine, rec.partition(), out);
        state.checkpoint.observe(rec.offset(), state.engine.watermark());
        state.finishReplayIfDone(rec.offset() + 1);
    }

    /**
     * The marks long windows count (days marked, mails decided per re-eligibility key) go to the compacted customers
     * topic as they are made, one record per mark, and a tombstone when the rules forget one, so a restart brings back
     * those still counted however far back the replay reaches.
     */
    private void keepMarks(PartitionEngine engine, int partition, Outbox out) {
        for (MarkChange m : engine.drainMarks()) {
            out.records.add(new Outbox.Pending(new ProducerRecord<>(topics.customers(), partition, m.key(),
                    m.mark() == null ? null : MarkRecords.write(m.mark())), null, 0));
        }
    }

    private void handle(ConsumerRecord<String, byte[]> rec, PartitionState state, boolean replay, Outbox out) {
        ParseResult parsed = parser.parse(rec.value());
        if (parsed instanceof ParseResult.Rejected rejected) {
            if (!replay) {
                deadLetter(rec, Refusal.invalid(rejected.reason()), out);
            }
            return;
        }
        var event = ((ParseResult.Parsed) parsed).event();
        String previousId = ((ParseResult.Parsed) parsed).previousId();
        long start = System.nanoTime();
        // the record's timestamp is when Kafka (or the shop's producer) received it; without one, now
        long received = rec.timestamp() >= 0 ? rec.timestamp() : System.currentTimeMillis();
        PartitionEngine.Outcome outcome = state.engine.accept(event, received);
        if (shadows != null) {
            shadows.accept(states, state, event, received, outcome.decisions(), out);
        }
        CustomerMerged merge = outcome.refused() == null ? state.engine.mergeToAnnounce(event, previousId) : null;
        if (replay) {
            return;
        }
        if (merge != null) {
            // the other id's partition moves what it holds of that id here, and sends its later events after it
            forward(merge, rec, null, out);
        }
        metrics.ruleEvaluation(System.nanoTime() - start);
        if (outcome.refused() != null) {
            deadLetter(rec, outcome.refused(), out);
        } else {
            count(event.type(), outcome);
            emit(outcome.decisions(), rec.timestamp(), out, state.engine);
            convert(outcome.conversions(), out);
            keep(outcome.customerState(), event, rec, out);
            for (CustomerEvent moved : outcome.forwards()) {
                forward(moved, rec, event.customerId(), out);
            }
            if (outcome.failed()) {
                // the other rules saw the event; a copy goes where someone looks, with the rule and its error
                deadLetter(rec, new Refusal(Refusal.Kind.FAILED, outcome.failure()), out);
            }
        }
    }

    /**
     * A customer's newest profile or consent signal goes, as it came in, to the compacted customers topic, in the
     * partition of its events, so the partition's next owner gets it back however old it is.
     */
    private void keep(CustomerEvent state, CustomerEvent event, ConsumerRecord<String, byte[]> rec, Outbox out) {
        if (state != null) {
            String key = state.customerId() + (state instanceof ConsentSignal ? "/consent"
                    : state instanceof CustomerMerged ? "/merged" : "/profile");
            // the record itself, as it came; a profile the rules made of it (an address from a checkout), as written
            byte[] value = state.eventId().equals(event.eventId()) ? rec.value() : writer.write(state);
            out.records.add(new Outbox.Pending(new ProducerRecord<>(topics.customers(), rec.partition(), key,
                    value), null, 0));
        }
    }

    /**
     * An event for another customer id's partition, keyed by that id: a merge to announce, or an event of a merged id
     * told again under the id it was merged into ({@code from} says which id it was). One that has followed
     * {@link #MAX_HOPS} merges already is in a loop of merges and becomes a dead letter.
     */
    private void forward(CustomerEvent event, ConsumerRecord<String, byte[]> rec, String from, Outbox out) {
        int hops = hops(rec) + (from != null ? 1 : 0);
        if (hops > MAX_HOPS) {
            deadLetter(rec, new Refusal(Refusal.Kind.FAILED, "it followed " + MAX_HOPS + " merges of customer ids"
                    + " and would follow more: a loop of merges (an id merged into one merged back into it)"), out);
            return;
        }
        RecordHeaders headers = new RecordHeaders();
        copy(rec, Headers.EVENT_SOURCE, headers);
        if (from != null) {
            headers.add(Headers.MERGED_FROM, Headers.value(from));
            headers.add(Headers.MERGE_HOPS, Headers.value(Integer.toString(hops)));
        }
        metrics.forwarded();
        // the original record's time: what the shop's clock said, which the clock-skew check compares against
        out.records.add(new Outbox.Pending(new ProducerRecord<>(topics.events(), null, rec.timestamp() >= 0
                ? rec.timestamp() : null, event.customerId(), writer.write(event), headers), null, 0));
    }

    private static int hops(ConsumerRecord<String, byte[]> rec) {
        Header h = rec.headers().lastHeader(Headers.MERGE_HOPS);
        try {
            return h == null ? 0 : Integer.parseInt(new String(h.value(), StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            return MAX_HOPS;
        }
    }

    private static void copy(ConsumerRecord<String, byte[]> rec, String header, RecordHeaders to) {
        Header h = rec.headers().lastHeader(header);
        if (h != null) {
            to.add(header, h.value());
        }
    }

    private void count(String type, PartitionEngine.Outcome outcome) {
        metrics.eventIn(type);
        if (outcome.duplicate()) {
            metrics.duplicate();
        }
        if (outcome.late()) {
            metrics.late();
        }
        if (outcome.failed()) {
            metrics.ruleFailure();
        }
    }

    /**
     * Each decision goes where its kind routes it ({@link DecisionKind#routes()}): the send stage's topic, the audit
     * topic with its reason, or both. A revocation goes to the decisions topic after the mail it revokes (same customer
     * key, same partition), so the send stage meets it in order.
     */
    void emit(List<Decision> decisions, long causeMillis, Outbox out, PartitionEngine engine) {
        for (Decision d : decisions) {
            try {
                byte[] value = json.writeValueAsBytes(d);
                Set<DecisionKind.Route> routes = d.kind().routes();
                if (routes.contains(DecisionKind.Route.DECISIONS)) {
                    RecordHeaders headers = new RecordHeaders();
                    headers.add(Headers.CAUSE_TIME, Headers.value(Long.toString(causeMillis)));
                    out.records.add(new Outbox.Pending(new ProducerRecord<>(topics.decisions(), null, d.customerId(),
                            value, headers), d, causeMillis));
                }
                if (routes.contains(DecisionKind.Route.AUDIT)) {
                    RecordHeaders headers = new RecordHeaders();
                    headers.add(Headers.KIND, Headers.value(d.kind().code()));
                    String reason = d.reason() != null ? d.reason() : d.kind().code();
                    headers.add(Headers.REASON, Headers.value(reason));
                    out.send(new ProducerRecord<>(topics.audit(), null, d.customerId(), value, headers));
                }
                Conversion assigned = Conversion.assignmentOf(d, engine.conversionWindowMillis(d.rule()));
                if (assigned != null) {
                    // the decision passed the guards: it is in its campaign's experiment, in one arm or the other
                    convert(List.of(assigned), out);
                }
                count(d);
            } catch (JsonProcessingException e) {
                LOG.error("could not write decision {} of rule {}: {}", d.decisionId(), d.rule(), e.toString());
            }
        }
    }

    /** Assignments and conversions go to the conversions topic, what the campaigns' reports count. */
    private void convert(List<Conversion> conversions, Outbox out) {
        for (Conversion c : conversions) {
            try {
                out.send(new ProducerRecord<>(topics.conversions(), null, c.customerId(), json.writeValueAsBytes(c)));
                if (Conversion.CONVERTED.equals(c.kind())) {
                    metrics.conversion(c.campaign(), c.arm(), c.currency(), c.revenue());
                }
            } catch (JsonProcessingException e) {
                LOG.error("could not write the {} record of decision {}: {}", c.kind(), c.decisionId(), e.toString());
            }
        }
    }

    private void count(Decision d) {
        if (d.releasedFrom() != null) {
            metrics.released(d.campaign(), d.releasedFrom(), d.kind() == DecisionKind.MAIL ? "sent" : d.kind().code());
        }
        switch (d.kind()) {
            case VOIDED -> metrics.voided(d.campaign(), d.reason());
            case HELD -> metrics.held(d.campaign(), d.reason());
            case SUPPRESSED -> metrics.suppressed(d.campaign(), d.reason());
            case HOLDOUT -> metrics.suppressed(d.campaign(), "holdout");
            case MAIL, FALLBACK -> {
                // counted by the send stage as it delivers them
            }
        }
    }

    private void deadLetter(ConsumerRecord<String, byte[]> rec, Refusal refusal, Outbox out) {
        LOG.warn("dead-lettered {}-{}@{} ({}): {}", rec.topic(), rec.partition(), rec.offset(), refusal.kind().code(),
                refusal.reason());
        metrics.deadLetter();
        RecordHeaders headers = new RecordHeaders();
        headers.add(Headers.ERROR, Headers.value(refusal.reason()));
        headers.add(Headers.REFUSAL, Headers.value(refusal.kind().code()));
        headers.add(Headers.SOURCE, Headers.value(rec.topic() + "-" + rec.partition() + "@" + rec.offset()));
        out.records.add(new Outbox.Pending(
                new ProducerRecord<>(topics.deadLetters(), null, rec.key(), rec.value(), headers), null, 0));
    }

    /**
     * Lets idle partitions' time run on, as far as the broker's answers vouch for (see {@link PartitionState#tick});
     * decisions that fall due are caused by the tick itself.
     */
    void tick(Map<TopicPartition, PartitionState> states, long answeredMillis, long answeredSince, long idleMillis,
              double speed, Outbox out) {
        states.forEach((tp, s) -> {
            List<Decision> due = s.tick(answeredMillis, answeredSince, idleMillis, speed);
            emit(due, answeredMillis, out, s.engine);
            keepMarks(s.engine, tp.partition(), out);
            if (shadows != null) {
                shadows.ticked(states, s, due, out);
            }
        });
    }
}
