package dev.nudge.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nudge.event.Text;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

/**
 * What a stage writes in place of a record the broker refuses as too large (over {@code max.request.size} or the
 * topic's {@code max.message.bytes}): a small summary on a dead-letter topic, so one oversized record is reported and
 * never stops the stage that wrote it.
 */
public final class Oversize {

    /** How much of the refused value the summary keeps, to recognise it by. */
    private static final int HEAD_CHARS = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Oversize() {
    }

    /** True when Kafka refused a record for its size: retrying cannot help, a summary can. */
    public static boolean refused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RecordTooLargeException || t instanceof RecordBatchTooLargeException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The summary of {@code refused}, for {@code deadLetterTopic}: where it was going, its size, its headers (each
     * bounded) and the beginning of its value, with the reason in the {@code nudge-error} header.
     */
    public static ProducerRecord<String, byte[]> summary(ProducerRecord<String, byte[]> refused,
                                                         String deadLetterTopic, Throwable why) {
        int bytes = refused.value() == null ? 0 : refused.value().length;
        ObjectNode s = JSON.createObjectNode().put("refusedBy", "broker").put("topic", refused.topic())
                .put("bytes", bytes).put("head", Text.bounded(refused.value() == null ? ""
                        : new String(refused.value(), StandardCharsets.UTF_8), HEAD_CHARS));
        RecordHeaders headers = new RecordHeaders();
        for (Header h : refused.headers()) {
            headers.add(h.key(), Headers.value(new String(h.value(), StandardCharsets.UTF_8)));
        }
        headers.remove(Headers.ERROR);
        headers.add(Headers.ERROR, Headers.value("a record of " + bytes + " bytes for " + refused.topic()
                + " was refused by the broker as too large (" + why + "); this summary is kept instead"));
        String key = refused.key() == null ? null : Text.bounded(refused.key(), HEAD_CHARS);
        try {
            return new ProducerRecord<>(deadLetterTopic, null, key, JSON.writeValueAsBytes(s), headers);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always writes", e);
        }
    }
}
