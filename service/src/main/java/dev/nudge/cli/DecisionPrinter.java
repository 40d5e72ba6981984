package dev.nudge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.config.NudgeConfig;
import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionJson;
import dev.nudge.decision.DecisionKind;
import dev.nudge.kafka.KafkaProps;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.consumer.KafkaConsumer;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import java.util.UUID;

/**
 * Prints each decision read from the decisions and audit topics as one line, so the demo shows what fires and what
 * was held or suppressed, and why, and what the send stage mailed.
 */
final class DecisionPrinter extends VerticleBase {

    private final NudgeConfig config;
    private final ObjectMapper json;
    private final DecisionJson decisions;
    private final PrintStream out;
    private KafkaConsumer<String, byte[]> consumer;

    public DecisionPrinter(NudgeConfig config, ObjectMapper json, PrintStream out) {
        this.config = config;
        this.json = json;
        this.decisions = new DecisionJson(json);
        this.out = out;
    }

    @Override
    public Future<?> start() {
        Map<String, String> props = KafkaProps.consumer(config.kafka().bootstrapServers(),
                "nudge-printer-" + UUID.randomUUID(), Map.of("auto.offset.reset", "latest"));
        props.put("enable.auto.commit", "true");
        consumer = KafkaConsumer.create(vertx, props);
        var topics = config.kafka().topics();
        consumer.handler(rec -> {
            String line = rec.topic().equals(topics.sent()) ? mailLine(rec.value())
                    : line(rec.value(), rec.topic().equals(topics.audit()));
            if (line != null) {
                out.println(line);
            }
        });
        return consumer.subscribe(java.util.Set.of(topics.decisions(), topics.audit(), topics.sent()));
    }

    /** What the send stage did: mailed, failed for good, or dropped as void; its steps in between are not shown. */
    private String mailLine(byte[] value) {
        try {
            JsonNode e = json.readTree(value);
            String state = e.path("state").asText();
            String what = switch (state) {
                case "sent" -> "MAILED";
                case "failed" -> "MAIL FAILED";
                case "void", "no-address" -> "NOT MAILED";
                default -> null;
            };
            if (what == null) {
                return null;
            }
            String why = state.equals("sent") ? "  (GET /outbox shows it)" : "  (" + e.path("detail").asText() + ")";
            return String.format("%-10s %-22s %-12s decision %s%s", what, e.path("campaign").asText(),
                    e.path("customerId").asText(), e.path("decisionId").asText(), why);
        } catch (IOException e) {
            return null;
        }
    }

    private String line(byte[] value, boolean audit) {
        Decision d;
        try {
            d = decisions.read(value);
        } catch (IOException e) {
            return "DECISION (unreadable) " + e.getMessage();
        }
        // a holdout and a fallback are on both topics: printed once, from the decisions topic
        if (audit && d.kind().routes().contains(DecisionKind.Route.DECISIONS)) {
            return null;
        }
        String what = switch (d.kind()) {
            case MAIL -> "DECISION";
            case FALLBACK -> "FALLBACK";
            case HOLDOUT -> "HOLDOUT";
            case HELD -> "HELD";
            case SUPPRESSED -> "SUPPRESSED";
            case VOIDED -> "VOIDED";
        };
        String why = d.kind() == DecisionKind.HELD ? "  (" + d.reason() + " until " + d.heldUntil() + ")"
                : d.reason() != null ? "  (" + d.reason() + ")" : "";
        return String.format("%-10s %-22s %-12s at %s  rule %s  events %s%s", what, d.campaign(), d.customerId(),
                d.decidedAt(), d.rule(), d.eventIds(), why);
    }

    @Override
    public Future<?> stop() {
        return consumer.close();
    }
}
