package dev.nudge.event;

import java.math.BigDecimal;
import java.time.Instant;

/** A product page seen by a customer, with what an e-mail needs to show the product. */
public record ProductViewed(String eventId, String customerId, Instant timestamp, String productId, String name,
                            BigDecimal price, String url, String imageUrl) implements CustomerEvent {

    @Override
    public long getEventTime() {
        return timestamp.toEpochMilli();
    }
}
