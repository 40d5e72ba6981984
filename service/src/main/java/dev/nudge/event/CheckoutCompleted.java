package dev.nudge.event;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A purchase; {@code cartId} may be null when the shop does not say which cart was bought, and {@code email} is the
 * address the buyer gave at the checkout, when the shop passes it on.
 */
public record CheckoutCompleted(String eventId, String customerId, Instant timestamp, String cartId,
                                String orderId, BigDecimal total, String currency, String email)
        implements CustomerEvent {

    public CheckoutCompleted(String eventId, String customerId, Instant timestamp, String cartId, String orderId,
                             BigDecimal total, String currency) {
        this(eventId, customerId, timestamp, cartId, orderId, total, currency, null);
    }

    @Override
    public long getEventTime() {
        return timestamp.toEpochMilli();
    }
}
