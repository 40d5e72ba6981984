package dev.nudge.event;

import java.math.BigDecimal;

/** One product line of a cart, as shown in an e-mail. */
public record Item(String productId, String name, BigDecimal price, int quantity, String url, String imageUrl) {
}
