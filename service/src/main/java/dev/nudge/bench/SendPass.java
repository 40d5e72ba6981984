package dev.nudge.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.config.NudgeConfig;
import dev.nudge.config.Settings;
import dev.nudge.event.Json;
import dev.nudge.kafka.TopicAdmin;
import org.apache.kafka.clients.producer.KafkaProducer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One pass of the send benchmark: a send stage of its own (fresh topics, consumer group, ledger and SMTP server or
 * webhook endpoint) sends
 * a workload of decisions, either loaded before it starts (throughput) or offered at a fixed rate while it runs
 * (delivery latency); timed from its deployment to its last mail, then checked: every decision mailed once, every copy
 * counted as a duplicate.
 */
final class SendPass {

    /** Where the mails go. */
    enum Relay {
        /** The embedded GreenMail server of {@code nudge run}: parses and stores every mail, in this process. */
        GREENMAIL("embedded GreenMail"),
        /** {@link SmtpSink}: accepts and forgets, so what is left is the send stage's own cost. */
        SINK("null SMTP sink"),
        /** {@link WebhookSink}: every campaign sent to a webhook that answers 200 and forgets. */
        WEBHOOK("null webhook (HTTP)");

        final String label;

        Relay(String label) {
            this.label = label;
        }
    }

    /** Rate limit of the passes: far above what one process sends, so it never sets the pace. */
    static final int UNLIMITED_PER_MINUTE = 60_000_000;
    // unsubscribe links are signed with it; fixed, so the stage does not warn about a random one on every pass
    private static final String SECRET = "nudge-bench-unsubscribe-secret-0001";

    private final String bootstrap;
    private final Path templatesDir;
    private final int partitions;
    private final ObjectMapper json = Json.mapper();

    SendPass(String bootstrap, Path templatesDir, int partitions) {
        this.bootstrap = bootstrap;
        this.templatesDir = templatesDir;
        this.partitions = partitions;
    }

    /** Loads the whole workload into new topics named after {@code name}, then lets a new send stage drain them. */
    SendResult drain(String name, SendWorkload workload, int maxInFlight, Relay relay) throws Exception {
        NudgeConfig config = config(name, maxInFlight);
        TopicAdmin.ensureTopics(bootstrap, config.kafka().topics());
        SendWorkload.Written load = workload.produce(bootstrap, config.kafka().topics().decisions());
        try (SendRun run = SendRun.start(config, relay, json)) {
            return run.awaitSent(name, load, 0);
        }
    }

    /**
     * Starts a new send stage, then writes the workload's decisions at {@code perSecond} while it runs, for at most
     * {@code length}: its delivery times are those of a stage keeping up, not of a backlog.
     */
    SendResult offer(String name, SendWorkload workload, int maxInFlight, Relay relay, int perSecond, Duration length)
            throws Exception {
        NudgeConfig config = config(name, maxInFlight);
        TopicAdmin.ensureTopics(bootstrap, config.kafka().topics());
        SendWorkload.Records records = workload.records(config.kafka().topics().decisions());
        try (SendRun run = SendRun.start(config, relay, json);
             KafkaProducer<String, byte[]> producer = SendWorkload.producer(bootstrap)) {
            // one decision first, so the pace starts once the stage has joined its group and read its ledger
            producer.send(records.next());
            producer.flush();
            run.awaitFirstMail();
            long start = System.nanoTime();
            long end = start + length.toNanos();
            long sent = 1;
            while (System.nanoTime() < end && records.hasNext()) {
                long due = (System.nanoTime() - start) * perSecond / 1_000_000_000L;
                while (sent < due && records.hasNext()) {
                    producer.send(records.next());
                    sent++;
                }
                Thread.sleep(1);
            }
            producer.flush();
            return run.awaitSent(name, records.written(), perSecond);
        }
    }

    private NudgeConfig config(String name, int maxInFlight) {
        String prefix = "bench.send." + name + ".";
        Map<String, String> s = new HashMap<>();
        s.put("kafka.bootstrap.servers", bootstrap);
        for (String topic : List.of("events", "decisions", "dead-letters", "audit", "customers", "sent",
                "send-dead-letters")) {
            s.put("kafka.topic." + topic, prefix + topic);
        }
        s.put("kafka.topic.partitions", String.valueOf(partitions));
        s.put("send.smtp.embedded-port", "0");
        s.put("send.templates-dir", templatesDir.toString());
        s.put("send.unsubscribe-secret", SECRET);
        s.put("send.rate-per-minute", String.valueOf(UNLIMITED_PER_MINUTE));
        s.put("send.max-in-flight", String.valueOf(maxInFlight));
        // send.max-waiting as shipped (1,000): a backlog of 10,000 makes the stage pause and resume its reading often
        s.put("send.consumer-group", "bench-send-" + name + "-" + System.nanoTime());
        return NudgeConfig.from(Settings.of(s));
    }
}
