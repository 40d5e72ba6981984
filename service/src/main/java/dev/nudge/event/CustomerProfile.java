package dev.nudge.event;

import java.time.Instant;
import java.util.Map;

/**
 * Who the customer is, as the shop last said: address, name, locale, time zone, marketing consent and custom
 * attributes (tier, lifetime value, ...). Rules keep one per customer, the newest; any field may be null.
 */
public record CustomerProfile(String eventId, String customerId, Instant timestamp, String email, String firstName,
                              String locale, String timeZone, Boolean marketingConsent,
                              Map<String, Object> attributes) implements CustomerEvent {

    public CustomerProfile {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    @Override
    public long getEventTime() {
        return timestamp.toEpochMilli();
    }
}
