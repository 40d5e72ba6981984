package dev.nudge.engine;

import dev.nudge.decision.Recipient;
import dev.nudge.event.CartUpdated;
import dev.nudge.event.CheckoutCompleted;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.CustomerProfile;
import dev.nudge.event.Item;
import dev.nudge.event.PageVisited;
import dev.nudge.event.ProductViewed;
import dev.nudge.event.Text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a decision carries about its mail: the payload from the triggering event and the recipient from the profile,
 * bounded, so that a 10,000-line cart or a profile with 600 KB of attributes still makes a decision Kafka takes (and a
 * mail a person can read). What is left out is said: {@code moreItems}, a marker attribute, a marker in a name.
 */
final class MailContent {

    /** Cart lines a mail shows; the rest are counted in {@code moreItems}. */
    static final int MAX_ITEMS = 100;
    static final int MAX_NAME = 500;
    /** Longer links do not survive mail clients; they are left out rather than cut. */
    static final int MAX_URL = 2000;
    /** Of the profile's attributes, what fits in about this many characters is kept. */
    static final int MAX_ATTRIBUTES = 16 * 1024;
    static final String ATTRIBUTES_LEFT_OUT = "…";

    private MailContent() {
    }

    static Map<String, Object> payload(CustomerEvent e) {
        Map<String, Object> p = new LinkedHashMap<>();
        if (e instanceof CartUpdated c) {
            p.put("cartId", c.cartId());
            List<Item> items = c.items();
            List<Item> shown = new ArrayList<>(Math.min(items.size(), MAX_ITEMS));
            for (int i = 0; i < items.size() && i < MAX_ITEMS; i++) {
                shown.add(bounded(items.get(i)));
            }
            p.put("items", shown);
            if (items.size() > MAX_ITEMS) {
                p.put("moreItems", items.size() - MAX_ITEMS);
            }
        } else if (e instanceof ProductViewed v) {
            Map<String, Object> product = new LinkedHashMap<>();
            product.put("productId", v.productId());
            putIfPresent(product, "name", Text.bounded(v.name(), MAX_NAME));
            putIfPresent(product, "price", v.price());
            putIfPresent(product, "url", url(v.url()));
            putIfPresent(product, "imageUrl", url(v.imageUrl()));
            putIfPresent(product, "currency", v.currency());
            putIfPresent(product, "category", Text.bounded(v.category(), MAX_NAME));
            p.put("product", product);
        } else if (e instanceof PageVisited v) {
            p.put("url", v.url());
        } else if (e instanceof CheckoutCompleted c) {
            p.put("orderId", c.orderId());
        }
        return p;
    }

    static Recipient recipient(CustomerProfile p) {
        if (p == null) {
            return null;
        }
        return new Recipient(p.email(), Text.bounded(p.firstName(), MAX_NAME), Text.bounded(p.locale(), 35),
                attributes(p.attributes()));
    }

    /** The attributes in their order while they fit, and a marker saying how many more were left out. */
    private static Map<String, Object> attributes(Map<String, Object> all) {
        if (all == null || all.isEmpty()) {
            return all;
        }
        Map<String, Object> kept = new LinkedHashMap<>();
        long size = 0;
        int left = 0;
        for (Map.Entry<String, Object> a : all.entrySet()) {
            long entry = a.getKey().length() + String.valueOf(a.getValue()).length();
            if (left == 0 && size + entry <= MAX_ATTRIBUTES) {
                kept.put(a.getKey(), a.getValue());
                size += entry;
            } else {
                left++;
            }
        }
        if (left > 0) {
            kept.put(ATTRIBUTES_LEFT_OUT, left + " more attributes left out (over " + MAX_ATTRIBUTES + " characters)");
        }
        return kept;
    }

    private static Item bounded(Item i) {
        String name = Text.bounded(i.name(), MAX_NAME);
        String url = url(i.url());
        String image = url(i.imageUrl());
        return name == i.name() && url == i.url() && image == i.imageUrl() ? i
                : new Item(i.productId(), name, i.price(), i.quantity(), url, image, i.currency(), i.category());
    }

    private static String url(String u) {
        return u == null || u.length() > MAX_URL ? null : u;
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
