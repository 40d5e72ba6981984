package dev.nudge.explain;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.decision.DecisionJson;
import dev.nudge.config.Topics;
import dev.nudge.event.EventParser;
import dev.nudge.event.ParseResult;
import dev.nudge.kafka.KafkaProps;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fills a {@link DecisionLog} from the decisions and audit topics, the send stage's ledger and the events topic, starting
 * {@code window} back in time, and from the whole compacted customers topic, on a thread of its own. It uses no
 * consumer group: every instance of Nudge reads everything, so any of them can answer.
 */
public final class DecisionLogReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DecisionLogReader.class);

    private final DecisionLog log;
    private final Topics topics;
    private final ObjectMapper json;
    private final DecisionJson decisions;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final long windowMillis;
    private final Clock clock;
    private final EventParser events;
    private Map<TopicPartition, Long> startEnds = Map.of();
    private volatile boolean running = true;

    public DecisionLogReader(DecisionLog log, String bootstrap, Topics topics, ObjectMapper json, Duration window,
                             Clock clock) {
        this.log = log;
        this.topics = topics;
        this.json = json;
        this.decisions = new DecisionJson(json);
        this.events = new EventParser(json);
        this.windowMillis = window.toMillis();
        this.clock = clock;
        this.consumer = new KafkaConsumer<>(KafkaProps.groupless(bootstrap));
        this.thread = new Thread(this::run, "nudge-decision-log");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        try {
            assignAndSeek();
            while (running) {
                for (ConsumerRecord<String, byte[]> rec : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        read(rec);
                    } catch (IOException | RuntimeException e) {
                        LOG.debug("skipped unreadable record at {}-{}@{}", rec.topic(), rec.partition(), rec.offset());
                    }
                }
                if (!log.caughtUp() && startEnds.entrySet().stream()
                        .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    log.caughtUp(true);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.warn("decision log stopped: {}", e.toString());
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void read(ConsumerRecord<String, byte[]> rec) throws IOException {
        if (rec.topic().equals(topics.sent())) {
            log.delivery(json.readTree(rec.value()));
        } else if (rec.topic().equals(topics.events())) {
            // the key is the customer id (POST /events, /v1/*); a shop producing to Kafka itself may leave it out
            String customer = rec.key() != null ? rec.key() : json.readTree(rec.value()).path("customerId").asText(null);
            if (customer != null) {
                log.event(customer, rec.timestamp());
            }
        } else if (rec.topic().equals(topics.customers())) {
            if (events.parse(rec.value()) instanceof ParseResult.Parsed parsed) {
                log.state(parsed.event());
            }
        } else {
            log.add(decisions.read(rec.value()), rec.topic().equals(topics.audit()), rec.timestamp());
        }
    }

    /**
     * The decisions, audit, ledger and events topics, every partition, from the first record of the window (or the
     * end when older); the compacted customers topic from its beginning, as an unsubscribe of last year still holds.
     */
    private void assignAndSeek() {
        List<TopicPartition> parts = new ArrayList<>();
        for (String topic : List.of(topics.decisions(), topics.audit(), topics.sent(), topics.events())) {
            for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                parts.add(new TopicPartition(topic, p.partition()));
            }
        }
        List<TopicPartition> state = new ArrayList<>();
        for (PartitionInfo p : consumer.partitionsFor(topics.customers(), Duration.ofSeconds(30))) {
            state.add(new TopicPartition(topics.customers(), p.partition()));
        }
        List<TopicPartition> all = new ArrayList<>(parts);
        all.addAll(state);
        consumer.assign(all);
        consumer.seekToBeginning(state);
        // seekToBeginning is lazy: resolve it now, before the end offsets below are taken as the start's
        state.forEach(consumer::position);
        Map<TopicPartition, Long> since = new HashMap<>();
        long from = clock.millis() - windowMillis;
        parts.forEach(tp -> since.put(tp, from));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(since, Duration.ofSeconds(30));
        List<TopicPartition> atEnd = new ArrayList<>();
        offsets.forEach((tp, ot) -> {
            if (ot == null) {
                atEnd.add(tp);
            } else {
                consumer.seek(tp, ot.offset());
            }
        });
        // positions taken now, not at the first poll: a decision written in between is not skipped
        consumer.endOffsets(atEnd, Duration.ofSeconds(30)).forEach(consumer::seek);
        // what there was when reading began: until it is read, an unknown customer may only not be read yet
        startEnds = consumer.endOffsets(all, Duration.ofSeconds(30));
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5_000);
    }
}
