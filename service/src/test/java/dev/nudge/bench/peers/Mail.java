package dev.nudge.bench.peers;

import java.time.Instant;

/**
 * One mail a trigger decided to send, as every engine in the comparison can state it: to whom, for which campaign,
 * about what (the cart id or the product id) and at which instant of event time it fell due.
 */
public record Mail(String customerId, String campaign, String key, long dueMillis) implements Comparable<Mail> {

    public static final String CART = "cart-abandonment";
    public static final String BROWSE = "browse-abandonment";

    @Override
    public int compareTo(Mail o) {
        int c = Long.compare(dueMillis, o.dueMillis);
        if (c == 0) {
            c = customerId.compareTo(o.customerId);
        }
        if (c == 0) {
            c = campaign.compareTo(o.campaign);
        }
        return c != 0 ? c : key.compareTo(o.key);
    }

    @Override
    public String toString() {
        return Instant.ofEpochMilli(dueMillis) + " " + customerId + " " + campaign + " " + key;
    }
}
