package dev.nudge.send;

import java.util.Objects;

/**
 * The links one mail needs that the decision does not carry: the shop's base URL ({@code https://shop.example}) and
 * the unsubscribe URL of this mail, already signed by the caller. Both are required: a marketing mail without a way
 * to unsubscribe must not go out.
 */
public record MailLinks(String shop, String unsubscribe) {

    public MailLinks {
        Objects.requireNonNull(shop, "shop");
        Objects.requireNonNull(unsubscribe, "unsubscribe");
        // templates append paths ("/cart/..."): one base form, whatever the configuration wrote
        while (shop.endsWith("/")) {
            shop = shop.substring(0, shop.length() - 1);
        }
    }
}
