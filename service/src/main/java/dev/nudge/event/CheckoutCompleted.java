package dev.nudge.event;

import java.math.BigDecimal;
import java.time.Instant;

/** A purchase; {@code cartId} may be null when the shop does not say which cart was bought. */
public record CheckoutCompleted(String eventId, String customerId, Instant timestamp, String cartId,
                                String orderId, BigDecimal total, String currency) implements CustomerEvent {

    @Override
    public long getEventTime() {
        return timestamp.toEpochMilli();
    }
}
