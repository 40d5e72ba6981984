package dev.nudge.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.nudge.event.CartChanged.Change;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps the Segment / RudderStack e-commerce spec onto Nudge's facts, so shops can send what they already emit.
 * The table is in docs/events.md ("Segment and RudderStack events").
 */
final class SegmentMapping {

    private SegmentMapping() {
    }

    static boolean isSegment(JsonNode n) {
        JsonNode type = n.get("type");
        return n.has("messageId") || (type != null && ("track".equals(type.asText()) || "page".equals(type.asText())
                || "identify".equals(type.asText()) || "alias".equals(type.asText())));
    }

    /**
     * The anonymous id of a call that also names a {@code userId}: the visitor has been identified, so the anonymous id
     * is merged into the user id (as Segment links them). Null for a call with one id, and for an alias (which says
     * the merge itself).
     */
    static String previousId(JsonNode n) {
        String user = Fields.optionalId(n, "userId");
        String anonymous = Fields.optionalId(n, "anonymousId");
        if (user == null || anonymous == null || anonymous.equals(user) || "alias".equals(n.path("type").asText())) {
            return null;
        }
        return anonymous;
    }

    static CustomerEvent toEvent(JsonNode n) {
        String id = Fields.requiredId(n, "messageId");
        if ("alias".equals(n.path("type").asText())) {
            return alias(id, n);
        }
        String customer = Fields.optionalId(n, "userId");
        if (customer == null) {
            customer = Fields.optionalId(n, "anonymousId");
        }
        if (customer == null) {
            throw new InvalidEventException("missing field 'userId' (or 'anonymousId')");
        }
        Instant time = Fields.instant(n, n.hasNonNull("timestamp") ? "timestamp" : "originalTimestamp");
        JsonNode p = n.hasNonNull("properties") ? n.get("properties") : MissingNode.getInstance();
        String type = Fields.required(n, "type");
        if ("page".equals(type)) {
            String url = Fields.optional(p, "url");
            if (url == null) {
                throw new InvalidEventException("page call without 'properties.url'");
            }
            return new PageVisited(id, customer, time, url);
        }
        if ("identify".equals(type)) {
            return profile(id, customer, time, n);
        }
        if (!"track".equals(type)) {
            throw new InvalidEventException("unsupported Segment call type '" + type
                    + "' (expected track, page, identify or alias)");
        }
        String event = Fields.required(n, "event");
        return switch (event) {
            case "Product Viewed" -> new ProductViewed(id, customer, time, productId(p), Fields.optional(p, "name"),
                    Fields.money(p, "price"), Fields.optional(p, "url"), Fields.optional(p, "image_url"),
                    Fields.currency(p, "currency"), Fields.optional(p, "category"));
            // a change of one line, not the cart: the engine knows the rest of the cart and completes it
            case "Product Added" -> new CartChanged(id, customer, time, cartId(p, customer), item(p), Change.ADD);
            case "Product Removed" -> new CartChanged(id, customer, time, cartId(p, customer), item(p),
                    p.hasNonNull("quantity") ? Change.REMOVE : Change.REMOVE_ALL);
            // "Cart Updated" is nudge.js's: the whole cart whenever the shop's data layer says it changed
            case "Cart Viewed", "Checkout Started", "Cart Updated" -> new CartUpdated(id, customer, time,
                    cartId(p, customer), products(p.get("products")));
            case "Order Completed" -> new CheckoutCompleted(id, customer, time, Fields.optionalId(p, "cart_id"),
                    orderId(p), Fields.money(p, p.has("total") ? "total" : "revenue"), Fields.optional(p, "currency"),
                    checkoutEmail(p, n));
            default -> throw new InvalidEventException("unsupported Segment event '" + event + "'");
        };
    }

    /** An {@code alias} call: {@code previousId} (an anonymous id, an old user id) is {@code userId} from now on. */
    private static CustomerMerged alias(String id, JsonNode n) {
        String previous = Fields.optionalId(n, "previousId");
        if (previous == null) {
            previous = Fields.optionalId(n, "anonymousId");
        }
        if (previous == null) {
            throw new InvalidEventException("missing field 'previousId' of an alias call");
        }
        String user = Fields.requiredId(n, "userId");
        Instant time = Fields.instant(n, n.hasNonNull("timestamp") ? "timestamp" : "originalTimestamp");
        return new CustomerMerged(id, previous, time, EventParser.mergedInto(user, previous, "userId"));
    }

    /** Traits Nudge reads itself; every other trait becomes a profile attribute rules can test. */
    private static final Set<String> PROFILE_TRAITS = Set.of("email", "firstName", "first_name", "marketingConsent",
            "marketing_consent");

    /**
     * An {@code identify} call: the traits it carries replace the customer's profile. Segment sends the time zone and
     * locale in {@code context}, not in the traits.
     */
    private static CustomerProfile profile(String id, String customer, Instant time, JsonNode n) {
        JsonNode traits = n.hasNonNull("traits") ? n.get("traits") : MissingNode.getInstance();
        JsonNode context = n.hasNonNull("context") ? n.get("context") : MissingNode.getInstance();
        String firstName = Fields.optional(traits, "firstName");
        Boolean consent = Fields.bool(traits, "marketingConsent");
        Map<String, Object> attributes = new LinkedHashMap<>(Fields.object(n, "traits"));
        attributes.keySet().removeAll(PROFILE_TRAITS);
        return new CustomerProfile(id, customer, time, Fields.optional(traits, "email"),
                firstName != null ? firstName : Fields.optional(traits, "first_name"), Fields.optional(context, "locale"),
                Fields.timeZone(context, "timezone"),
                consent != null ? consent : Fields.bool(traits, "marketing_consent"), attributes);
    }

    private static String productId(JsonNode p) {
        String id = Fields.optionalId(p, "product_id");
        if (id == null) {
            id = Fields.optionalId(p, "sku");
        }
        if (id == null) {
            throw new InvalidEventException("missing field 'properties.product_id'");
        }
        return id;
    }

    /** Segment does not require cart_id; one open cart per customer is the sensible default. */
    private static String cartId(JsonNode p, String customer) {
        String id = Fields.optionalId(p, "cart_id");
        return id != null ? id : customer + ":cart";
    }

    /** The buyer's address: the order's {@code email} property, else the call's {@code context.traits.email}. */
    private static String checkoutEmail(JsonNode p, JsonNode n) {
        String email = Fields.optional(p, "email");
        return email != null ? email : Fields.optional(n.path("context").path("traits"), "email");
    }

    private static String orderId(JsonNode p) {
        String id = Fields.optionalId(p, "order_id");
        if (id == null) {
            id = Fields.optionalId(p, "checkout_id");
        }
        if (id == null) {
            throw new InvalidEventException("missing field 'properties.order_id'");
        }
        return id;
    }

    private static Item item(JsonNode p) {
        return new Item(productId(p), Fields.optional(p, "name"), Fields.money(p, "price"), Fields.quantity(p, "quantity"),
                Fields.optional(p, "url"), Fields.optional(p, "image_url"), Fields.currency(p, "currency"),
                Fields.optional(p, "category"));
    }

    private static List<Item> products(JsonNode array) {
        if (array == null || !array.isArray()) {
            return List.of();
        }
        List<Item> items = new ArrayList<>();
        for (JsonNode p : array) {
            items.add(item(p));
        }
        return items;
    }
}
