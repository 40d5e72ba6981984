package dev.nudge.decision;

import java.util.Map;

/**
 * Who a mail goes to and how to greet them, from the customer's newest profile when the mail was decided; any field
 * may be null (a customer the shop never described).
 */
public record Recipient(String email, String firstName, String locale, Map<String, Object> attributes) {

    public Recipient {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
}
