package dev.nudge.event;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A product page seen by a customer, with what an e-mail needs to show the product; {@code currency} and
 * {@code category} as in {@link Item}.
 */
public record ProductViewed(String eventId, String customerId, Instant timestamp, String productId, String name,
                            BigDecimal price, String url, String imageUrl, String currency, String category)
        implements CustomerEvent {

    /** A product view without a category. */
    public ProductViewed(String eventId, String customerId, Instant timestamp, String productId, String name,
                         BigDecimal price, String url, String imageUrl, String currency) {
        this(eventId, customerId, timestamp, productId, name, price, url, imageUrl, currency, null);
    }

    /** A product view whose price is in the shop's default currency. */
    public ProductViewed(String eventId, String customerId, Instant timestamp, String productId, String name,
                         BigDecimal price, String url, String imageUrl) {
        this(eventId, customerId, timestamp, productId, name, price, url, imageUrl, null, null);
    }

    @Override
    public long getEventTime() {
        return timestamp.toEpochMilli();
    }
}
