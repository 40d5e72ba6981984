package dev.nudge.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nudge.event.Timestamps;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Turns the body of a Segment HTTP API call ({@code /v1/track}, {@code /v1/page}, {@code /v1/identify},
 * {@code /v1/batch}) into the calls it carries, each complete as Nudge's Segment mapping reads it: its type from the
 * route, the batch's context where the call has none, a message id, and a timestamp as Segment's own API settles it
 * (the call's {@code timestamp}; else {@code originalTimestamp} corrected by the sender's clock error, which the
 * difference between its {@code sentAt} and the time of receipt shows; else the time of receipt). The write key some
 * libraries repeat in the body is dropped, so it never reaches Kafka. Does no I/O.
 */
final class SegmentCalls {

    /** A body that is not a call or a batch of calls: the whole request is refused (400). */
    static final class BadBody extends Exception {
        BadBody(String message) {
            super(message);
        }
    }

    private SegmentCalls() {
    }

    /** {@code type}: the route's call type, or null for {@code /v1/batch}. */
    static List<ObjectNode> of(JsonNode body, String type, Instant received) throws BadBody {
        if (body == null || !body.isObject()) {
            throw new BadBody("the body must be a JSON object");
        }
        List<ObjectNode> calls = new ArrayList<>();
        if (type != null) {
            calls.add(complete((ObjectNode) body.deepCopy(), type, null, null, received));
            return calls;
        }
        JsonNode batch = body.get("batch");
        if (batch == null || !batch.isArray()) {
            throw new BadBody("a /v1/batch body needs a 'batch' array of calls");
        }
        JsonNode context = body.get("context");
        JsonNode sentAt = body.get("sentAt");
        for (JsonNode call : batch) {
            if (!call.isObject()) {
                throw new BadBody("each call of 'batch' must be a JSON object");
            }
            calls.add(complete((ObjectNode) call.deepCopy(), null, context, sentAt, received));
        }
        return calls;
    }

    private static ObjectNode complete(ObjectNode call, String type, JsonNode batchContext, JsonNode batchSentAt,
                                       Instant received) throws BadBody {
        if (type != null) {
            JsonNode given = call.get("type");
            if (given != null && !given.isNull() && !type.equals(given.asText())) {
                throw new BadBody("a " + type + " call cannot be of type '" + given.asText() + "'");
            }
            call.put("type", type);
        }
        call.remove("writeKey");
        if (!call.hasNonNull("context") && batchContext != null && batchContext.isObject()) {
            call.set("context", batchContext.deepCopy());
        }
        if (!call.hasNonNull("messageId")) {
            // the SDKs always send one; a hand-written call gets one, but its retries will not be recognised
            call.put("messageId", "nudge-" + UUID.randomUUID());
        }
        if (!call.hasNonNull("timestamp")) {
            Instant t = timestamp(call, batchSentAt, received);
            if (t != null) {
                call.put("timestamp", t.toString());
            }
        }
        return call;
    }

    /** Null when {@code originalTimestamp} is there but unreadable: the parser then says so. */
    private static Instant timestamp(ObjectNode call, JsonNode batchSentAt, Instant received) {
        if (!call.hasNonNull("originalTimestamp")) {
            return received;
        }
        Instant original = instant(call.get("originalTimestamp"));
        Instant sentAt = instant(call.hasNonNull("sentAt") ? call.get("sentAt") : batchSentAt);
        if (original == null || sentAt == null) {
            return original;
        }
        // the sender's clock was off by (sentAt - received); its originalTimestamp is off by as much
        return received.minus(Duration.between(original, sentAt));
    }

    private static Instant instant(JsonNode v) {
        if (v == null || !v.isTextual()) {
            return null;
        }
        try {
            return Timestamps.parse(v.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
