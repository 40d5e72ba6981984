package dev.nudge.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.EventParser;
import dev.nudge.event.ParseResult;
import dev.nudge.event.ClockSkew;
import dev.nudge.event.Refusal;
import dev.nudge.event.Utf8;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a {@code POST /events} body into events to publish and per-event results; does no I/O. An event stamped
 * further ahead of the server's clock than {@code engine.max-clock-skew} is refused here, as the engine would.
 */
final class EventIntake {

    /** The verdict on one event of the body, in the order it was sent. */
    record Item(int index, CustomerEvent event, byte[] raw, String error) {
        boolean valid() {
            return error == null;
        }
    }

    private final ObjectMapper json;
    private final EventParser parser;
    private final Duration maxClockSkew;
    private final Clock clock;

    EventIntake(ObjectMapper json, Duration maxClockSkew, Clock clock) {
        this.json = json;
        this.parser = new EventParser(json);
        this.maxClockSkew = maxClockSkew;
        this.clock = clock;
    }

    /** A body that is not UTF-8 or not JSON, with the reason its sender is told. */
    static final class Unreadable extends Exception {
        Unreadable(String reason) {
            super(reason);
        }
    }

    /** The body as a JSON tree (null for one with nothing in it): strict UTF-8 first, as on Kafka. */
    JsonNode tree(byte[] body) throws Unreadable {
        String utf8 = Utf8.problem(body);
        if (utf8 != null) {
            throw new Unreadable(utf8);
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new Unreadable("malformed JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** One event or an array of them; a body that is not JSON is one invalid item. */
    List<Item> read(byte[] body) {
        JsonNode root;
        try {
            root = tree(body);
        } catch (Unreadable e) {
            return List.of(new Item(0, null, body, e.getMessage()));
        }
        if (root == null) {
            return List.of(new Item(0, null, body, "empty body"));
        }
        List<JsonNode> nodes = new ArrayList<>();
        if (root.isArray()) {
            root.forEach(nodes::add);
        } else {
            nodes.add(root);
        }
        return check(nodes);
    }

    /** Each event parsed and checked against the clock, in order; {@code raw} is the node as written to Kafka. */
    List<Item> check(List<? extends JsonNode> nodes) {
        List<Item> items = new ArrayList<>(nodes.size());
        long received = clock.millis();
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode n = nodes.get(i);
            if (n instanceof ObjectNode o && (o.get("timestamp") == null || o.get("timestamp").isNull())) {
                // over HTTP an event without its time happened as it arrived: one curl command can try Nudge out
                o.put("timestamp", Instant.ofEpochMilli(received).toString());
            }
            ParseResult r = parser.parse(n);
            byte[] raw = bytes(n);
            if (r instanceof ParseResult.Parsed p) {
                Refusal skew = ClockSkew.check(p.event(), received, maxClockSkew);
                items.add(skew == null ? new Item(i, p.event(), raw, null) : new Item(i, null, raw, skew.reason()));
            } else {
                items.add(new Item(i, null, raw, ((ParseResult.Rejected) r).reason()));
            }
        }
        return items;
    }

    private byte[] bytes(JsonNode n) {
        try {
            return json.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException("a parsed JSON tree always writes", e);
        }
    }
}
