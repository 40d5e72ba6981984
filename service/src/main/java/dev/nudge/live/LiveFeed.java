package dev.nudge.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nudge.config.Topics;
import dev.nudge.decision.Conversion;
import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionJson;
import dev.nudge.decision.DecisionKind;
import dev.nudge.kafka.Headers;
import dev.nudge.kafka.KafkaProps;
import dev.nudge.send.LedgerEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads what happens for the live page, on a thread of its own and with no consumer group (every instance sees
 * everything): decisions (mail, fallback, holdout, voided), the audit topic (held, suppressed), the send stage's
 * ledger (sent, failed, ...) and the conversions topic, from the last {@link #RECENT} records of each partition on.
 * Each record is counted in the {@link LiveFunnel} and handed on as one JSON message, a poll's worth at a time.
 */
public final class LiveFeed implements AutoCloseable {

    /** How many records back each partition is read from at start: the page opens on recent history, bounded. */
    static final int RECENT = 200;

    private static final Duration RETRY = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);

    private final Topics topics;
    private final ObjectMapper json;
    private final DecisionJson decisions;
    private final LiveFunnel funnel;
    private final Consumer<List<String>> out;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    public LiveFeed(String bootstrap, Topics topics, ObjectMapper json, LiveFunnel funnel, Consumer<List<String>> out) {
        this.topics = topics;
        this.json = json;
        this.decisions = new DecisionJson(json);
        this.funnel = funnel;
        this.out = out;
        this.consumer = new KafkaConsumer<>(KafkaProps.groupless(bootstrap));
        this.thread = new Thread(this::run, "nudge-live-feed");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /**
     * Reads until closed. A failure (the broker unreachable at start, a topic missing) is logged and the reading
     * starts again a few seconds later from the recent records: the funnel counts what it has seen once.
     */
    private void run() {
        try {
            while (running) {
                try {
                    assignRecent();
                    while (running) {
                        poll();
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    if (!running) {
                        break;
                    }
                    LOG.warn("live feed could not read, trying again in {} s: {}", RETRY.toSeconds(), e.toString());
                    pause();
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            // close() interrupts this thread to end a pause; the consumer would take that for its own interruption
            Thread.interrupted();
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void poll() {
        ConsumerRecords<String, byte[]> polled = consumer.poll(Duration.ofMillis(500));
        List<String> messages = new ArrayList<>(polled.count());
        for (ConsumerRecord<String, byte[]> rec : polled) {
            try {
                ObjectNode m = read(rec);
                if (m != null) {
                    messages.add(json.writeValueAsString(m));
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("live page skipped unreadable record at {}-{}@{}: {}", rec.topic(), rec.partition(),
                        rec.offset(), e.toString());
            }
        }
        if (!messages.isEmpty()) {
            out.accept(messages);
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** The record as the page shows it, counted in the funnel; null for what the page does not show. */
    private ObjectNode read(ConsumerRecord<String, byte[]> rec) throws IOException {
        if (rec.topic().equals(topics.sent())) {
            LedgerEntry e = json.readValue(rec.value(), LedgerEntry.class);
            funnel.delivery(e);
            if (LedgerEntry.SENDING.equals(e.state())) {
                return null;
            }
            return message("mail", rec).put("state", e.state()).put("customerId", e.customerId())
                    .put("campaign", e.campaign()).put("decisionId", e.decisionId()).put("attempt", e.attempt())
                    .put("detail", e.detail());
        }
        if (rec.topic().equals(topics.conversions())) {
            Conversion c = json.readValue(rec.value(), Conversion.class);
            funnel.conversion(c);
            return message("conversion", rec).put("kind", c.kind()).put("arm", c.arm()).put("campaign", c.campaign())
                    .put("customerId", c.customerId()).put("decisionId", c.decisionId()).put("orderId", c.orderId())
                    .put("revenue", c.revenue()).put("currency", c.currency())
                    .put("secondsToConvert", c.secondsToConvert());
        }
        Decision d = decisions.read(rec.value());
        boolean fromDecisions = rec.topic().equals(topics.decisions());
        Long latency = fromDecisions ? latency(rec) : null;
        funnel.decision(d, latency);
        // a fallback or a holdout is on both topics: shown once, from the decisions topic
        if (!fromDecisions && d.kind().routes().contains(DecisionKind.Route.DECISIONS)) {
            return null;
        }
        ObjectNode m = message("decision", rec).put("kind", d.kind().code()).put("reason", d.reason())
                .put("customerId", d.customerId()).put("campaign", d.campaign()).put("rule", d.rule())
                .put("decisionId", d.decisionId()).put("decidedAt", d.decidedAt().toString())
                .put("releasedFrom", d.releasedFrom()).put("latencyMillis", latency);
        if (d.heldUntil() != null) {
            m.put("heldUntil", d.heldUntil().toString());
        }
        return m;
    }

    private ObjectNode message(String type, ConsumerRecord<String, byte[]> rec) {
        return json.createObjectNode().put("type", type).put("topic", rec.topic()).put("at", rec.timestamp());
    }

    /**
     * Event to decision: the record's time against the time the causing event was written ({@link Headers#CAUSE_TIME});
     * null without that header or when the event's time is later than the decision's.
     */
    static Long latency(ConsumerRecord<String, byte[]> rec) {
        Header h = rec.headers().lastHeader(Headers.CAUSE_TIME);
        if (h == null) {
            return null;
        }
        try {
            long millis = rec.timestamp() - Long.parseLong(new String(h.value(), StandardCharsets.UTF_8));
            // an event stamped ahead of the wall clock (the demo's shoppers live faster) has no latency to show
            return millis >= 0 ? millis : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Every partition of the four topics, from its last {@link #RECENT} records (positions taken now). */
    private void assignRecent() {
        List<TopicPartition> parts = new ArrayList<>();
        for (String topic : List.of(topics.decisions(), topics.audit(), topics.sent(), topics.conversions())) {
            for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                parts.add(new TopicPartition(topic, p.partition()));
            }
        }
        consumer.assign(parts);
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(parts, Duration.ofSeconds(30));
        consumer.endOffsets(parts, Duration.ofSeconds(30)).forEach((tp, end) ->
                consumer.seek(tp, Math.max(begin.getOrDefault(tp, 0L), end - RECENT)));
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.interrupt();
        thread.join(5_000);
    }
}
