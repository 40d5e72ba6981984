package dev.nudge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.config.NudgeConfig;
import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionJson;
import dev.nudge.kafka.KafkaProps;
import dev.nudge.kafka.PartitionReader;
import dev.nudge.send.LedgerEntry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.consumer.KafkaConsumer;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Prints each decision read from the decisions and audit topics as one line, and what the send stage did with it, so
 * the demo shows what fires, what was held, released or suppressed and why, and what was mailed ({@link ConsoleLines}).
 */
final class DecisionPrinter extends VerticleBase {

    private final NudgeConfig config;
    private final ObjectMapper json;
    private final DecisionJson decisions;
    private final PrintStream out;
    private final ConsoleLines lines = new ConsoleLines();
    private KafkaConsumer<String, byte[]> consumer;

    public DecisionPrinter(NudgeConfig config, ObjectMapper json, PrintStream out) {
        this.config = config;
        this.json = json;
        this.decisions = new DecisionJson(json);
        this.out = out;
    }

    @Override
    public Future<?> start() {
        var topics = config.kafka().topics();
        // what the send stage did before this run: a copy of a decision it mailed then is a duplicate, not news
        return vertx.executeBlocking(() -> PartitionReader.readTopic(config.kafka().bootstrapServers(), topics.sent(),
                rec -> ledgerEntry(rec.value()).ifPresent(lines::remember))).compose(x -> subscribe());
    }

    /** How many lines of a kind ({@code DECISION}, {@code MAILED}, ...) this printer showed. */
    int shown(String what) {
        return lines.shown(what);
    }

    private Future<?> subscribe() {
        Map<String, String> props = KafkaProps.consumer(config.kafka().bootstrapServers(),
                "nudge-printer-" + UUID.randomUUID(), Map.of("auto.offset.reset", "latest"));
        props.put("enable.auto.commit", "true");
        consumer = KafkaConsumer.create(vertx, props);
        var topics = config.kafka().topics();
        consumer.handler(rec -> {
            String line = rec.topic().equals(topics.sent())
                    ? ledgerEntry(rec.value()).map(lines::ledger).orElse(null)
                    : decisionLine(rec.value(), rec.topic().equals(topics.audit()));
            if (line != null) {
                out.println(line);
            }
        });
        return consumer.subscribe(Set.of(topics.decisions(), topics.audit(), topics.sent()));
    }

    private java.util.Optional<LedgerEntry> ledgerEntry(byte[] value) {
        if (value == null) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(json.readValue(value, LedgerEntry.class));
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    private String decisionLine(byte[] value, boolean audit) {
        Decision d;
        try {
            d = decisions.read(value);
        } catch (IOException | RuntimeException e) {
            return "DECISION (unreadable) " + e.getMessage();
        }
        return lines.decision(d, audit);
    }

    @Override
    public Future<?> stop() {
        return consumer == null ? Future.succeededFuture() : consumer.close();
    }
}
