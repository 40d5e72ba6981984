package dev.nudge.decision;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;

/**
 * Reads decision records from Kafka, including those written before decisions had a kind (a broker that kept an
 * earlier release's topics): their kind is worked out here, once, from the fields they had.
 */
public final class DecisionJson {

    private final ObjectMapper json;

    public DecisionJson(ObjectMapper json) {
        this.json = json;
    }

    /** The decision in {@code bytes}; an unreadable or incomplete record is an {@link IOException} saying why. */
    public Decision read(byte[] bytes) throws IOException {
        return read(json.readTree(bytes));
    }

    public Decision read(JsonNode node) throws IOException {
        if (!(node instanceof ObjectNode o)) {
            throw new IOException("a decision must be a JSON object");
        }
        try {
            // fields added by a later release are for its readers: this one reads what it knows
            return json.readerFor(Decision.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(o.has("kind") ? o : fromEarlierRelease(o));
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** A decision as JSON, the form the topics and {@code GET /customers/{id}/decisions} carry. */
    public ObjectNode tree(Decision d) {
        return json.valueToTree(d);
    }

    /**
     * Before decisions had a kind, each kind was a field of its own ({@code voided}, {@code suppressed}, {@code held},
     * {@code holdout}, {@code fallbackReason}), checked in that order.
     */
    private static ObjectNode fromEarlierRelease(ObjectNode old) {
        ObjectNode d = old.deepCopy();
        String kind;
        String reason = null;
        if (old.hasNonNull("voided")) {
            kind = "voided";
            reason = old.get("voided").asText();
        } else if (old.hasNonNull("suppressed")) {
            kind = "suppressed";
            reason = old.get("suppressed").asText();
        } else if (old.hasNonNull("held")) {
            kind = "held";
            reason = old.get("held").asText();
        } else if (old.path("holdout").asBoolean(false)) {
            kind = "holdout";
        } else if (old.hasNonNull("fallbackReason")) {
            kind = "fallback";
            reason = old.get("fallbackReason").asText();
        } else {
            kind = "mail";
        }
        d.remove(java.util.List.of("voided", "suppressed", "held", "holdout", "fallback", "fallbackReason"));
        if (!kind.equals("held")) {
            d.remove("heldUntil");
        }
        d.put("kind", kind);
        if (reason != null) {
            d.put("reason", reason);
        }
        return d;
    }
}
