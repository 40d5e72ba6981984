package dev.nudge.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nudge.engine.DayMark;
import dev.nudge.engine.KeyDecided;
import dev.nudge.event.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How the engine's marks ({@link DayMark}, {@link KeyDecided}) are written to the compacted customers topic, beside
 * profiles and consent, and read back after a restart: a small JSON object that starts with its kind, {@code
 * {"mark":"day", ...}}, so a restore tells a mark from an event without parsing it twice.
 */
final class MarkRecords {

    private static final ObjectMapper JSON = Json.mapper();
    private static final byte[] PREFIX = "{\"mark\":".getBytes(StandardCharsets.UTF_8);

    private MarkRecords() {
    }

    static byte[] write(Object mark) {
        ObjectNode n = JSON.createObjectNode();
        if (mark instanceof DayMark d) {
            n.put("mark", "day").put("customerId", d.customerId()).put("name", d.name()).put("key", d.key())
                    .put("day", d.day()).put("eventTime", d.eventTime());
        } else if (mark instanceof KeyDecided k) {
            n.put("mark", "decided").put("customerId", k.customerId()).put("campaign", k.campaign())
                    .put("key", k.key()).put("decisionId", k.decisionId()).put("decidedAt", k.decidedAt());
        } else {
            throw new IllegalArgumentException("not a mark: " + mark);
        }
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean isMark(byte[] value) {
        return value != null && value.length > PREFIX.length
                && Arrays.equals(value, 0, PREFIX.length, PREFIX, 0, PREFIX.length);
    }

    /** The mark a record holds; an error when it is not one Nudge wrote. */
    static Object read(byte[] value) throws IOException {
        JsonNode n = JSON.readTree(value);
        return switch (n.path("mark").asText()) {
            case "day" -> new DayMark(text(n, "customerId"), text(n, "name"), text(n, "key"), text(n, "day"),
                    n.path("eventTime").asLong());
            case "decided" -> new KeyDecided(text(n, "decisionId"), text(n, "campaign"), text(n, "customerId"),
                    text(n, "key"), n.path("decidedAt").asLong());
            default -> throw new IOException("unknown mark '" + n.path("mark").asText() + "'");
        };
    }

    private static String text(JsonNode n, String field) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IOException("a mark without " + field);
        }
        return v.asText();
    }
}
