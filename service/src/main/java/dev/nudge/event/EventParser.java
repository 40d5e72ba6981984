package dev.nudge.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an event from JSON: Nudge's own format (documented in docs/events.md and {@code event.schema.json}) or a
 * Segment / RudderStack {@code track} or {@code page} call, which {@link SegmentMapping} translates.
 */
public final class EventParser {

    /** The most lines a cart may have; a bigger one is refused (a mail shows 20 of them anyway). */
    public static final int MAX_LINES = 1000;

    /** The event types of Nudge's own format. */
    public static final List<String> TYPES = List.of("CartUpdated", "CheckoutCompleted", "ProductViewed", "PageVisited",
            "CustomerProfile", "Unsubscribed", "Subscribed", "SpamComplaint", "EmailBounced", "EmailSent",
            "EmailFailed", "CustomerMerged", "CartChanged");

    private final ObjectMapper json;

    public EventParser(ObjectMapper json) {
        this.json = json;
    }

    public ParseResult parse(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return ParseResult.rejected("empty message");
        }
        String utf8 = Utf8.problem(bytes);
        if (utf8 != null) {
            return ParseResult.rejected(utf8);
        }
        JsonNode node;
        try {
            node = json.readTree(bytes);
        } catch (JsonProcessingException e) {
            return ParseResult.rejected("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return ParseResult.rejected("unreadable message: " + e.getMessage());
        }
        return parse(node);
    }

    public ParseResult parse(JsonNode node) {
        if (node == null || !node.isObject()) {
            return ParseResult.rejected("an event must be a JSON object");
        }
        try {
            if (SegmentMapping.isSegment(node)) {
                return new ParseResult.Parsed(SegmentMapping.toEvent(node), SegmentMapping.previousId(node));
            }
            return new ParseResult.Parsed(nativeEvent(node));
        } catch (InvalidEventException e) {
            return ParseResult.rejected(e.getMessage());
        }
    }

    private static CustomerEvent nativeEvent(JsonNode n) {
        String type = Fields.required(n, "type");
        String id = Fields.requiredId(n, "eventId");
        String customer = Fields.requiredId(n, "customerId");
        var time = Fields.instant(n, "timestamp");
        return switch (type) {
            case "CartUpdated" -> new CartUpdated(id, customer, time, Fields.requiredId(n, "cartId"), items(n.get("items")));
            case "CheckoutCompleted" -> new CheckoutCompleted(id, customer, time, Fields.optionalId(n, "cartId"),
                    Fields.requiredId(n, "orderId"), Fields.money(n, "total"), Fields.optional(n, "currency"),
                    Fields.optional(n, "email"));
            case "ProductViewed" -> new ProductViewed(id, customer, time, Fields.requiredId(n, "productId"),
                    Fields.optional(n, "name"), Fields.money(n, "price"), Fields.optional(n, "url"),
                    Fields.optional(n, "imageUrl"), Fields.currency(n, "currency"), Fields.optional(n, "category"));
            case "PageVisited" -> new PageVisited(id, customer, time, Fields.required(n, "url"));
            case "CustomerProfile" -> new CustomerProfile(id, customer, time, Fields.optional(n, "email"),
                    Fields.optional(n, "firstName"), Fields.optional(n, "locale"), Fields.timeZone(n, "timeZone"),
                    Fields.bool(n, "marketingConsent"), Fields.object(n, "attributes"));
            case "Unsubscribed" -> new Unsubscribed(id, customer, time, Fields.optional(n, "campaign"));
            case "Subscribed" -> new Subscribed(id, customer, time);
            case "SpamComplaint" -> new SpamComplaint(id, customer, time, Fields.optional(n, "campaign"));
            case "EmailBounced" -> new EmailBounced(id, customer, time, Boolean.TRUE.equals(Fields.bool(n, "hard")),
                    Fields.optional(n, "detail"), Fields.optional(n, "campaign"));
            case "EmailSent" -> new EmailSent(id, customer, time, Fields.optionalId(n, "decisionId"),
                    Fields.optional(n, "campaign"));
            case "EmailFailed" -> new EmailFailed(id, customer, time, Fields.optionalId(n, "decisionId"),
                    Fields.optional(n, "campaign"), Boolean.TRUE.equals(Fields.bool(n, "permanent")),
                    Fields.optional(n, "reason"));
            case "CustomerMerged" -> new CustomerMerged(id, customer, time,
                    mergedInto(Fields.requiredId(n, "mergedInto"), customer, "mergedInto"));
            case "CartChanged" -> new CartChanged(id, customer, time, Fields.requiredId(n, "cartId"),
                    item(n.get("product"), "product"), change(n));
            default -> throw new InvalidEventException("unknown event type '" + type + "' (expected one of "
                    + String.join(", ", TYPES) + ")");
        };
    }

    static List<Item> items(JsonNode array) {
        if (array == null || array.isNull()) {
            return List.of();
        }
        if (!array.isArray()) {
            throw new InvalidEventException("field 'items' must be an array");
        }
        if (array.size() > MAX_LINES) {
            throw new InvalidEventException("field 'items' has " + array.size() + " lines: at most " + MAX_LINES);
        }
        List<Item> items = new ArrayList<>(array.size());
        for (JsonNode i : array) {
            items.add(item(i, "each of 'items'"));
        }
        return items;
    }

    private static Item item(JsonNode i, String what) {
        if (i == null || !i.isObject()) {
            throw new InvalidEventException(what + " must be an object");
        }
        return new Item(Fields.requiredId(i, "productId"), Fields.optional(i, "name"), Fields.money(i, "price"),
                Fields.quantity(i, "quantity"), Fields.optional(i, "url"), Fields.optional(i, "imageUrl"),
                Fields.currency(i, "currency"), Fields.optional(i, "category"));
    }

    private static CartChanged.Change change(JsonNode n) {
        String change = Fields.required(n, "change");
        try {
            return CartChanged.Change.valueOf(change);
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException("field 'change' must be ADD, REMOVE or REMOVE_ALL");
        }
    }

    /** A customer merged into itself would forward its own events to itself for ever. */
    static String mergedInto(String into, String customer, String field) {
        if (into.equals(customer)) {
            throw new InvalidEventException("field '" + field + "' names the customer itself");
        }
        return into;
    }
}
