package dev.nudge.event;

import java.math.BigDecimal;

/**
 * One product line of a cart, as shown in an e-mail; {@code currency} (ISO 4217, {@code EUR}) is the price's, or null
 * when the shop sends none and the mail shows the default currency ({@code send.currency}); {@code category} is the
 * shop's product category ({@code running}), or null, for rules and templates.
 */
public record Item(String productId, String name, BigDecimal price, int quantity, String url, String imageUrl,
                   String currency, String category) {

    /** A line without a category. */
    public Item(String productId, String name, BigDecimal price, int quantity, String url, String imageUrl,
                String currency) {
        this(productId, name, price, quantity, url, imageUrl, currency, null);
    }

    /** A line whose price is in the shop's default currency. */
    public Item(String productId, String name, BigDecimal price, int quantity, String url, String imageUrl) {
        this(productId, name, price, quantity, url, imageUrl, null, null);
    }
}
