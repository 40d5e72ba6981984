package dev.nudge.send;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nudge.config.Topics;
import dev.nudge.decision.Decision;
import dev.nudge.event.Text;
import dev.nudge.kafka.Headers;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The records the send stage writes: ledger entries, send dead letters, and EmailSent / EmailFailed / hard
 * EmailBounced events.
 */
final class SendRecords {

    private final Topics topics;
    private final ObjectMapper json;

    SendRecords(Topics topics, ObjectMapper json) {
        this.topics = topics;
        this.json = json;
    }

    /** In the ledger partition of the decision's own partition, so that partition's next owner finds it. */
    ProducerRecord<String, byte[]> ledger(int partition, LedgerEntry e) {
        return new ProducerRecord<>(topics.sent(), partition, e.decisionId(), bytes(json.valueToTree(e)));
    }

    /** Where the send stage's dead letters go. */
    String deadLetterTopic() {
        return topics.sendDeadLetters();
    }

    /** The decision as it came, with why it was not sent and where it came from. */
    ProducerRecord<String, byte[]> deadLetter(String key, byte[] decision, String reason, String source) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Headers.ERROR, Headers.value(reason));
        headers.add(Headers.SOURCE, Headers.value(source));
        return new ProducerRecord<>(topics.sendDeadLetters(), null, key, decision, headers);
    }

    /**
     * Keyed by customer like every event, so it joins the customer's partition. Its time is the decision's event time
     * plus the time the mail waited here, so replays and the frequency cap see it where it belongs; the record carries
     * that time too, as the time it was sent, so the engine's clock-skew check measures it against itself (the demo's
     * shoppers live ahead of the wall clock).
     */
    ProducerRecord<String, byte[]> emailSent(Decision d, Instant at) {
        return event(d, at, event("EmailSent", "sent-" + d.decisionId(), d, at));
    }

    ProducerRecord<String, byte[]> emailFailed(Decision d, Instant at, String reason) {
        return event(d, at, event("EmailFailed", "failed-" + d.decisionId(), d, at).put("permanent", true)
                .put("reason", Text.reason(reason)));
    }

    private ProducerRecord<String, byte[]> event(Decision d, Instant at, ObjectNode e) {
        return new ProducerRecord<>(topics.events(), null, at.toEpochMilli(), d.customerId(), bytes(e));
    }

    /** A hard bounce of the address, in the consent signals' own form: the rules stop further mail to it. */
    ProducerRecord<String, byte[]> hardBounce(Decision d, Instant at, String reason) {
        ObjectNode e = json.createObjectNode().put("type", "EmailBounced").put("eventId", "bounce-" + d.decisionId())
                .put("customerId", d.customerId()).put("timestamp", at.toString()).put("hard", true)
                .put("detail", Text.reason(reason)).put("campaign", d.campaign());
        return event(d, at, e);
    }

    private ObjectNode event(String type, String id, Decision d, Instant at) {
        return json.createObjectNode().put("type", type).put("eventId", id).put("customerId", d.customerId())
                .put("timestamp", at.toString()).put("decisionId", d.decisionId()).put("campaign", d.campaign());
    }

    private byte[] bytes(Object node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always writes", e);
        }
    }
}
