package dev.nudge.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Events that cannot be used are refused with the reason a person reading the dead-letter topic will see. */
class EventRejectionTest {

    private static final String PAGE = """
            {"type": "PageVisited", "eventId": "p1", "customerId": "fay", "timestamp": "2026-03-02T09:00:00Z",
             "url": "https://shop.example/"}""";
    private static final String CART = """
            {"type": "CartUpdated", "eventId": "e1", "customerId": "ana", "timestamp": "2026-03-02T09:00:00Z",
             "cartId": "cart-1", "items": %s}""";

    private static String reason(String json) {
        ParseResult r = new EventParser(Json.mapper()).parse(json.getBytes(StandardCharsets.UTF_8));
        return assertInstanceOf(ParseResult.Rejected.class, r, "should be rejected: " + json).reason();
    }

    /** The page event without one field, to show each required field is named when missing. */
    private static String pageWithout(String field) throws Exception {
        ObjectNode page = (ObjectNode) Json.mapper().readTree(PAGE);
        page.remove(field);
        return page.toString();
    }

    @Test
    void emptyMessage() {
        assertEquals("empty message", reason(""));
    }

    @Test
    void malformedJson() {
        String reason = reason("{\"type\": \"PageVisited\", ");
        assertTrue(reason.startsWith("malformed JSON: "), reason);
    }

    @Test
    void notAnObject() {
        assertEquals("an event must be a JSON object", reason("[1, 2]"));
        assertEquals("an event must be a JSON object", reason("\"PageVisited\""));
    }

    @Test
    void missingRequiredFields() throws Exception {
        for (String field : new String[] {"type", "eventId", "customerId", "timestamp", "url"}) {
            assertEquals("missing field '" + field + "'", reason(pageWithout(field)), field);
        }
    }

    @Test
    void blankFieldCountsAsMissing() {
        assertEquals("missing field 'customerId'", reason(PAGE.replace("\"fay\"", "\"  \"")));
    }

    @Test
    void unknownType() {
        assertEquals("unknown event type 'OrderShipped' (expected one of CartUpdated, CheckoutCompleted, ProductViewed, "
                + "PageVisited, CustomerProfile, Unsubscribed, Subscribed, SpamComplaint, EmailBounced, EmailSent, EmailFailed, CustomerMerged, CartChanged)",
                reason(PAGE.replace("PageVisited", "OrderShipped")));
    }

    @Test
    void timeZoneJavaDoesNotKnow() {
        assertEquals("field 'timeZone' is not a time zone id such as Europe/Berlin: 'Mars/Olympus'",
                reason("{\"type\":\"CustomerProfile\",\"eventId\":\"p1\",\"customerId\":\"ana\","
                        + "\"timestamp\":\"2026-03-02T09:00:00Z\",\"timeZone\":\"Mars/Olympus\"}"));
    }

    @Test
    void consentMustBeABoolean() {
        assertEquals("field 'marketingConsent' must be true or false, got \"yes\"",
                reason("{\"type\":\"CustomerProfile\",\"eventId\":\"p1\",\"customerId\":\"ana\","
                        + "\"timestamp\":\"2026-03-02T09:00:00Z\",\"marketingConsent\":\"yes\"}"));
    }

    @Test
    void unparseableTimestamp() {
        assertEquals("field 'timestamp' is not an ISO-8601 timestamp: '02/03/2026 09:00'",
                reason(PAGE.replace("2026-03-02T09:00:00Z", "02/03/2026 09:00")));
    }

    @Test
    void timestampBeforeTheUnixEpochIsAClockNeverSet() {
        assertEquals("field 'timestamp' is before 1970 ('1969-12-31T23:59:59Z'): the sender's clock was never set",
                reason(PAGE.replace("2026-03-02T09:00:00Z", "1969-12-31T23:59:59Z")));
        assertEquals("field 'timestamp' is before 1970 ('0001-01-01T00:00:00Z'): the sender's clock was never set",
                reason(PAGE.replace("2026-03-02T09:00:00Z", "0001-01-01T00:00:00Z")));
    }

    @Test
    void timestampBeyondTheYear9999IsRefusedBeforeItOverflows() {
        // Instant parses it, but its epoch milliseconds do not fit in a long
        assertEquals("field 'timestamp' is after the year 9999 ('+999999999-12-31T23:59:59Z')",
                reason(PAGE.replace("2026-03-02T09:00:00Z", "+999999999-12-31T23:59:59Z")));
    }

    @Test
    void fieldOfTheWrongType() {
        assertEquals("field 'customerId' must be a string or a whole number",
                reason(PAGE.replace("\"fay\"", "{\"id\": 7}")));
        assertEquals("field 'url' must be a string", reason(PAGE.replace("\"https://shop.example/\"", "42")));
    }

    @Test
    void idWithAFraction() {
        assertEquals("field 'customerId' must be a string or a whole number, got 7.5",
                reason(PAGE.replace("\"fay\"", "7.5")));
    }

    @Test
    void quantityWithAFraction() {
        assertEquals("field 'quantity' must be a whole number of 0 or more, got 1.5",
                reason(CART.formatted("[{\"productId\": \"shoe-42\", \"quantity\": 1.5}]")));
    }

    @Test
    void quantityAsText() {
        assertEquals("field 'quantity' must be a whole number of 0 or more, got '2'",
                reason(CART.formatted("[{\"productId\": \"shoe-42\", \"quantity\": \"2\"}]")));
    }

    @Test
    void itemsNotAnArray() {
        assertEquals("field 'items' must be an array", reason(CART.formatted("{\"productId\": \"shoe-42\"}")));
    }

    @Test
    void itemNotAnObject() {
        assertEquals("each of 'items' must be an object", reason(CART.formatted("[\"shoe-42\"]")));
    }

    @Test
    void itemWithoutProduct() {
        assertEquals("missing field 'productId'", reason(CART.formatted("[{\"quantity\": 1}]")));
    }

    @Test
    void negativeQuantity() {
        assertEquals("field 'quantity' must be a whole number of 0 or more, got -1",
                reason(CART.formatted("[{\"productId\": \"shoe-42\", \"quantity\": -1}]")));
    }

    @Test
    void priceThatIsNotANumber() {
        assertEquals("field 'price' must be a number, got 'cheap'",
                reason(CART.formatted("[{\"productId\": \"shoe-42\", \"price\": \"cheap\"}]")));
    }

    @Test
    void segmentCallWithoutCustomer() {
        assertEquals("missing field 'userId' (or 'anonymousId')", reason("""
                {"type": "track", "event": "Product Viewed", "messageId": "m1", "timestamp": "2026-03-02T09:00:00Z",
                 "properties": {"product_id": "k"}}"""));
    }

    @Test
    void segmentCallsNudgeDoesNotUse() {
        assertEquals("unsupported Segment event 'Signed Up'", reason("""
                {"type": "track", "event": "Signed Up", "messageId": "m1", "userId": "gus",
                 "timestamp": "2026-03-02T09:00:00Z"}"""));
        assertEquals("unsupported Segment call type 'group' (expected track, page, identify or alias)", reason("""
                {"type": "group", "messageId": "m1", "userId": "gus", "timestamp": "2026-03-02T09:00:00Z"}"""));
    }

    @Test
    void segmentPageWithoutUrl() {
        assertEquals("page call without 'properties.url'", reason("""
                {"type": "page", "messageId": "m1", "userId": "gus", "timestamp": "2026-03-02T09:00:00Z"}"""));
    }

    @Test
    void anIdLongerThan256CharactersIsRefusedNotKeptInMemory() {
        String id = "c".repeat(200_000);
        String reason = reason(PAGE.replace("\"fay\"", "\"" + id + "\""));
        assertEquals("field 'customerId' is 200000 characters long: at most 256", reason);
        assertTrue(reason(PAGE.replace("\"fay\"", "\"" + "c".repeat(257) + "\"")).contains("at most 256"));
        assertInstanceOf(ParseResult.Parsed.class, new EventParser(Json.mapper())
                .parse(PAGE.replace("\"fay\"", "\"" + "c".repeat(256) + "\"").getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void textLongerThan4096CharactersIsRefused() {
        String url = "https://shop.example/" + "x".repeat(5000);
        assertEquals("field 'url' is 5021 characters long: at most 4096",
                reason(PAGE.replace("https://shop.example/", url)));
    }

    @Test
    void aCartOfMoreThan1000LinesIsRefused() {
        String line = "{\"productId\": \"p\", \"quantity\": 1}";
        String lines = "[" + String.join(",", java.util.Collections.nCopies(1001, line)) + "]";
        assertEquals("field 'items' has 1001 lines: at most 1000", reason(CART.formatted(lines)));
        String most = "[" + String.join(",", java.util.Collections.nCopies(1000, line)) + "]";
        assertInstanceOf(ParseResult.Parsed.class, new EventParser(Json.mapper())
                .parse(CART.formatted(most).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void profileAttributesOver16KilobytesAreRefused() {
        String profile = """
                {"type": "CustomerProfile", "eventId": "p1", "customerId": "ana", "timestamp": "2026-03-02T09:00:00Z",
                 "email": "ana@example.com", "attributes": {"notes": "%s"}}""".formatted("n".repeat(20_000));
        assertTrue(reason(profile).startsWith("field 'attributes' is 20012 characters of JSON: at most 16384"),
                reason(profile));
    }

    @ParameterizedTest
    @ValueSource(strings = {"C0AF", "E080AF", "F08080AF", "EDA080", "80", "FF"})
    void overlongFormsSurrogatesAndStrayBytesAreNotUtf8(String hex) {
        byte[] bad = java.util.HexFormat.of().parseHex(hex);
        byte[] page = PAGE.replace("\"fay\"", "\"fa#\"").getBytes(StandardCharsets.UTF_8);
        int at = new String(page, StandardCharsets.UTF_8).indexOf('#');
        byte[] event = new byte[page.length - 1 + bad.length];
        System.arraycopy(page, 0, event, 0, at);
        System.arraycopy(bad, 0, event, at, bad.length);
        System.arraycopy(page, at + 1, event, at + bad.length, page.length - at - 1);
        ParseResult r = new EventParser(Json.mapper()).parse(event);
        assertEquals("not valid UTF-8 (an overlong form, a surrogate or a stray byte) at byte " + at,
                assertInstanceOf(ParseResult.Rejected.class, r).reason());
    }

    @Test
    void realUtf8IsRead() {
        ParseResult r = new EventParser(Json.mapper()).parse(PAGE.replace("fay", "Zoë 日本 🙂")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals("Zoë 日本 🙂", ((ParseResult.Parsed) r).event().customerId());
    }
}
