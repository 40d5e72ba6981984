package dev.nudge.send;

import dev.nudge.config.SendConfig;
import dev.nudge.decision.Decision;
import dev.nudge.decision.Recipient;
import dev.nudge.event.Item;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the mail templates see of a decision (the table in deploy/templates/README.md), as plain maps and lists. A
 * decision built by the engine carries {@link Item} records; one read back from Kafka carries maps, with prices as
 * whatever Jackson made of the digits. Both become the same model, so a template cannot tell them apart. Absent and
 * blank values are left out rather than put as null, so that templates test them with {@code ??} and {@code !}.
 */
final class MailModel {

    /** Cart lines a mail lists; the rest are counted in {@code cart.moreItems} ("and 3 more items"). */
    static final int MAX_LINES = 20;
    /** Longest text (a name, a first name) a mail shows; longer is cut with an ellipsis. */
    static final int MAX_TEXT = 200;
    /** Longer links do not survive mail clients; the engine leaves them out too, but decisions may come from elsewhere. */
    static final int MAX_LINK = 2000;
    // line breaks and other control characters: in a name, they would add lines to the text part
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029]+");

    private MailModel() {
    }

    static Map<String, Object> of(Decision d, MailLinks links, SendConfig.Shop shop) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("customer", customer(d));
        Map<String, Object> sender = new LinkedHashMap<>();
        sender.put("name", shop.name());
        sender.put("address", shop.address());
        sender.put("currency", shop.currency());
        m.put("shop", sender);
        put(m, "campaign", d.campaign());
        put(m, "decisionId", d.decisionId());
        put(m, "rule", d.rule());
        put(m, "decidedAt", d.decidedAt() == null ? null : d.decidedAt().toString());
        Map<String, Object> link = new LinkedHashMap<>();
        link.put("shop", links.shop());
        link.put("unsubscribe", links.unsubscribe());
        Map<String, Object> payload = d.payload() == null ? Map.of() : d.payload();
        if (payload.get("items") instanceof List<?> items && !items.isEmpty()) {
            Map<String, Object> cart = cart(payload.get("cartId"), items,
                    payload.get("moreItems") instanceof Number n ? n.intValue() : 0, shop.currency());
            m.put("cart", cart);
            if (cart.containsKey("cartId")) {
                // URLEncoder writes a space as '+', which a path keeps as a plus
                link.put("cart", links.shop() + "/cart/"
                        + URLEncoder.encode((String) cart.get("cartId"), StandardCharsets.UTF_8).replace("+", "%20"));
            }
        }
        if (payload.get("product") instanceof Map<?, ?> product) {
            Map<String, Object> viewed = line(product);
            viewed.putIfAbsent("currency", shop.currency());
            m.put("product", viewed);
        }
        if (link(payload.get("url")) != null) {
            m.put("page", Map.of("url", link(payload.get("url"))));
        }
        m.put("links", link);
        return m;
    }

    /** The recipient's locale ("de-DE" or "de_DE"), for number formatting; English when unknown. */
    static Locale locale(Recipient r) {
        String tag = r == null ? null : text(r.locale());
        if (tag == null) {
            return Locale.ENGLISH;
        }
        Locale l = Locale.forLanguageTag(tag.replace('_', '-'));
        return l.getLanguage().isEmpty() ? Locale.ENGLISH : l;
    }

    private static Map<String, Object> customer(Decision d) {
        Map<String, Object> c = new LinkedHashMap<>();
        put(c, "id", d.customerId());
        Recipient r = d.recipient();
        if (r != null) {
            put(c, "email", r.email());
            put(c, "firstName", r.firstName());
            put(c, "locale", r.locale());
            c.put("attributes", r.attributes());
        }
        return c;
    }

    /**
     * The cart: its first {@link #MAX_LINES} lines, how many more there are ({@code moreItems}, with those the
     * decision already left out), and the total over every line the decision carries, unless it left some out.
     */
    private static Map<String, Object> cart(Object cartId, List<?> items, int leftOutByDecision, String currency) {
        Map<String, Object> cart = new LinkedHashMap<>();
        put(cart, "cartId", text(cartId));
        List<Map<String, Object>> lines = new ArrayList<>();
        BigDecimal total = null;
        int count = 0;
        int more = leftOutByDecision;
        java.util.Set<Object> currencies = new java.util.HashSet<>();
        for (Object o : items) {
            Map<String, Object> line = o instanceof Item i ? line(i) : o instanceof Map<?, ?> map ? line(map) : null;
            if (line == null) {
                continue;
            }
            Object lineCurrency = line.computeIfAbsent("currency", k -> currency);
            if (line.containsKey("price")) {
                currencies.add(lineCurrency);
            }
            // a line is in the cart at least once, whatever the shop wrote of its quantity
            int quantity = (Integer) line.computeIfAbsent("quantity", k -> 1);
            if (line.get("price") instanceof BigDecimal price) {
                BigDecimal lineTotal = price.multiply(BigDecimal.valueOf(quantity));
                line.put("lineTotal", lineTotal);
                total = total == null ? lineTotal : total.add(lineTotal);
            }
            count += quantity;
            if (lines.size() < MAX_LINES) {
                lines.add(line);
            } else {
                more++;
            }
        }
        cart.put("items", lines);
        // prices in two currencies do not add up
        put(cart, "total", leftOutByDecision > 0 || currencies.size() > 1 ? null : total);
        cart.put("currency", currencies.size() == 1 ? currencies.iterator().next() : currency);
        cart.put("itemCount", count);
        cart.put("moreItems", more);
        return cart;
    }

    private static Map<String, Object> line(Item i) {
        Map<String, Object> m = new HashMap<>();
        m.put("productId", i.productId());
        m.put("name", i.name());
        m.put("price", i.price());
        m.put("quantity", i.quantity());
        m.put("url", i.url());
        m.put("imageUrl", i.imageUrl());
        m.put("currency", i.currency());
        m.put("category", i.category());
        return line(m);
    }

    /** A product or cart line from a record or from JSON; fields the shop left out stay out. */
    private static Map<String, Object> line(Map<?, ?> in) {
        Map<String, Object> out = new LinkedHashMap<>();
        put(out, "productId", in.get("productId"));
        put(out, "name", in.get("name"));
        put(out, "price", money(in.get("price")));
        put(out, "currency", currency(in.get("currency")));
        put(out, "category", in.get("category"));
        if (in.get("quantity") instanceof Number n) {
            out.put("quantity", n.intValue());
        } else if (text(in.get("quantity")) != null) {
            try {
                out.put("quantity", Integer.parseInt(text(in.get("quantity"))));
            } catch (NumberFormatException e) {
                // unreadable: counted as one below rather than failing the mail
            }
        }
        put(out, "url", link(in.get("url")));
        put(out, "imageUrl", link(in.get("imageUrl")));
        return out;
    }

    /** Prices as BigDecimal, whatever JSON made of them: 39 (an int), 39.90 (BigDecimal or double), "39.90". */
    private static BigDecimal money(Object v) {
        try {
            if (v instanceof BigDecimal b) {
                return b;
            }
            if (v instanceof Double || v instanceof Float) {
                // valueOf, not new BigDecimal(double): 39.9 must not become 39.89999999999999857891452847979962825775146484375
                return BigDecimal.valueOf(((Number) v).doubleValue());
            }
            if (v instanceof Number || v instanceof String) {
                return text(v) == null ? null : new BigDecimal(v.toString().trim());
            }
        } catch (NumberFormatException e) {
            // an unreadable price is left out, as a missing one is
        }
        return null;
    }

    /** An ISO 4217 code ({@code EUR}, {@code usd}) in upper case; anything else counts as absent. */
    private static String currency(Object v) {
        String code = text(v);
        try {
            return code == null ? null : Currency.getInstance(code.toUpperCase(Locale.ROOT)).getCurrencyCode();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Text as a mail may show it: one line (control characters become spaces), at most {@link #MAX_TEXT} characters.
     * Blank strings count as absent: a template's {@code ??} must not greet "Hi ,".
     */
    private static String text(Object v) {
        if (v == null) {
            return null;
        }
        String s = CONTROL.matcher(v.toString()).replaceAll(" ").trim();
        if (s.length() > MAX_TEXT) {
            s = s.substring(0, MAX_TEXT - 1).trim() + "…";
        }
        return s.isEmpty() ? null : s;
    }

    /**
     * A link or an image a mail may carry: an absolute http(s) URL and nothing else ({@code javascript:},
     * {@code data:}, {@code file:} and relative links are left out), without spaces or control characters.
     */
    static String link(Object v) {
        if (v == null) {
            return null;
        }
        String s = v.toString().trim();
        if (s.isEmpty() || s.length() > MAX_LINK || !s.equals(CONTROL.matcher(s).replaceAll("")) || s.contains(" ")) {
            return null;
        }
        try {
            URI u = new URI(s);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && u.getHost() != null ? s : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static void put(Map<String, Object> m, String key, Object v) {
        Object value = v instanceof String || v == null ? text(v) : v;
        if (value != null) {
            m.put(key, value);
        }
    }
}
