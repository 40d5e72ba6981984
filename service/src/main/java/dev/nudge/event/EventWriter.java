package dev.nudge.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Writes an event in Nudge's own JSON format, the inverse of {@link EventParser}: for the demo and the benchmark. */
public final class EventWriter {

    private final ObjectMapper json;

    public EventWriter(ObjectMapper json) {
        this.json = json;
    }

    public byte[] write(CustomerEvent event) {
        ObjectNode node = json.valueToTree(event);
        node.remove("eventTime");
        ObjectNode out = json.createObjectNode();
        out.put("eventId", event.eventId());
        out.put("type", event.type());
        out.setAll(node);
        try {
            return json.writeValueAsBytes(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event record always writes", e);
        }
    }
}
