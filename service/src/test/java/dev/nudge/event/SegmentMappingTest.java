package dev.nudge.event;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import static dev.nudge.event.NativeEventParsingTest.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Segment / RudderStack e-commerce calls and how each becomes one of Nudge's facts. */
class SegmentMappingTest {

    private static final Instant T = Instant.parse("2026-03-02T09:00:00Z");

    /** A track call for {@code userId} "gus" at {@link #T}, with the given event name and properties. */
    private static String track(String event, String properties) {
        return """
                {"type": "track", "event": "%s", "messageId": "m1", "userId": "gus",
                 "timestamp": "2026-03-02T09:00:00.000Z", "properties": %s}""".formatted(event, properties);
    }

    @Test
    void productViewedBecomesProductViewed() {
        var view = assertInstanceOf(ProductViewed.class, parse(track("Product Viewed", """
                {"product_id": "kettle-1", "name": "Kettle", "price": 49, "url": "https://shop.example/p/k",
                 "image_url": "https://cdn.example/k.jpg"}""")));
        assertEquals(new ProductViewed("m1", "gus", T, "kettle-1", "Kettle", new BigDecimal("49"),
                "https://shop.example/p/k", "https://cdn.example/k.jpg"), view);
    }

    @Test
    void aProductsCurrencyComesAlongInUpperCase() {
        var view = (ProductViewed) parse(track("Product Viewed", "{\"sku\": \"K-1\", \"price\": 49, \"currency\": \"sek\"}"));
        assertEquals("SEK", view.currency());
        var change = (CartChanged) parse(track("Product Added",
                "{\"product_id\": \"k\", \"price\": 49, \"currency\": \"USD\"}"));
        assertEquals("USD", change.product().currency());
    }

    @Test
    void segmentsCategoryPropertyIsTheProductsCategory() {
        var view = (ProductViewed) parse(track("Product Viewed", "{\"sku\": \"K-1\", \"category\": \"Kitchen\"}"));
        assertEquals("Kitchen", view.category());
        var change = (CartChanged) parse(track("Product Added",
                "{\"product_id\": \"k\", \"price\": 49, \"category\": \"Kitchen\"}"));
        assertEquals("Kitchen", change.product().category());
        var plain = (ProductViewed) parse(track("Product Viewed", "{\"sku\": \"K-1\"}"));
        assertEquals(null, plain.category());
    }

    @Test
    void productIdFallsBackToSku() {
        var view = (ProductViewed) parse(track("Product Viewed", "{\"sku\": \"K-1\"}"));
        assertEquals("K-1", view.productId());
    }

    @Test
    void productAddedBecomesAChangeAddingTheProduct() {
        var change = assertInstanceOf(CartChanged.class, parse(track("Product Added", """
                {"cart_id": "c9", "product_id": "kettle-1", "name": "Kettle", "price": 49, "quantity": 2,
                 "url": "https://shop.example/p/k", "image_url": "https://cdn.example/k.jpg"}""")));
        assertEquals(new CartChanged("m1", "gus", T, "c9", new Item("kettle-1", "Kettle", new BigDecimal("49"), 2,
                "https://shop.example/p/k", "https://cdn.example/k.jpg"), CartChanged.Change.ADD), change);
    }

    @Test
    void withoutCartIdTheCustomersOneCartIsMeant() {
        var change = (CartChanged) parse(track("Product Added", "{\"product_id\": \"kettle-1\"}"));
        assertEquals("gus:cart", change.cartId());
        assertEquals(1, change.product().quantity());
    }

    @Test
    void productRemovedWithoutQuantityTakesTheWholeLine() {
        var change = assertInstanceOf(CartChanged.class,
                parse(track("Product Removed", "{\"cart_id\": \"c9\", \"product_id\": \"kettle-1\"}")));
        assertEquals("c9", change.cartId());
        assertEquals("kettle-1", change.product().productId());
        assertEquals(CartChanged.Change.REMOVE_ALL, change.change());
    }

    @Test
    void productRemovedWithQuantityTakesThatMany() {
        var change = (CartChanged) parse(track("Product Removed", "{\"product_id\": \"mug-1\", \"quantity\": 2}"));
        assertEquals(CartChanged.Change.REMOVE, change.change());
        assertEquals(2, change.product().quantity());
    }

    @Test
    void wholeNumbersAreIdsToo() {
        var change = (CartChanged) parse("""
                {"type": "track", "event": "Product Added", "messageId": 77, "userId": 1042,
                 "timestamp": "2026-03-02T09:00:00Z", "properties": {"product_id": 123456, "cart_id": 9}}""");
        assertEquals(List.of("77", "1042", "123456", "9"),
                List.of(change.eventId(), change.customerId(), change.product().productId(), change.cartId()));
    }

    @Test
    void cartViewedCheckoutStartedAndCartUpdatedCarryTheWholeCart() {
        String products = """
                {"cart_id": "c9", "products": [{"product_id": "kettle-1", "price": 49},
                                               {"product_id": "mug-1", "price": 9, "quantity": 4}]}""";
        for (String event : List.of("Cart Viewed", "Checkout Started", "Cart Updated")) {
            var cart = assertInstanceOf(CartUpdated.class, parse(track(event, products)), event);
            assertEquals(List.of(new Item("kettle-1", null, new BigDecimal("49"), 1, null, null),
                    new Item("mug-1", null, new BigDecimal("9"), 4, null, null)), cart.items(), event);
        }
    }

    @Test
    void orderCompletedBecomesACheckout() {
        var checkout = assertInstanceOf(CheckoutCompleted.class, parse(track("Order Completed",
                "{\"cart_id\": \"c9\", \"order_id\": \"o-1\", \"total\": 58, \"currency\": \"EUR\"}")));
        assertEquals(new CheckoutCompleted("m1", "gus", T, "c9", "o-1", new BigDecimal("58"), "EUR"), checkout);
    }

    @Test
    void orderCompletedWithoutCartRevenueAndCheckoutIdStillCounts() {
        var checkout = (CheckoutCompleted) parse(track("Order Completed",
                "{\"checkout_id\": \"chk-1\", \"revenue\": 50}"));
        assertNull(checkout.cartId());
        assertEquals("chk-1", checkout.orderId());
        assertEquals(new BigDecimal("50"), checkout.total());
    }

    @Test
    void pageCallBecomesPageVisited() {
        var page = assertInstanceOf(PageVisited.class, parse("""
                {"type": "page", "messageId": "m2", "userId": "gus", "timestamp": "2026-03-02T09:00:00Z",
                 "properties": {"url": "https://shop.example/pricing", "title": "Pricing"}}"""));
        assertEquals(new PageVisited("m2", "gus", T, "https://shop.example/pricing"), page);
    }

    @Test
    void userIdWinsOverAnonymousId() {
        var page = parse("""
                {"type": "page", "messageId": "m2", "userId": "gus", "anonymousId": "anon-1",
                 "timestamp": "2026-03-02T09:00:00Z", "properties": {"url": "https://shop.example/"}}""");
        assertEquals("gus", page.customerId());
    }

    @Test
    void anonymousIdIsTheCustomerWhenThereIsNoUserId() {
        var page = parse("""
                {"type": "page", "messageId": "m2", "anonymousId": "anon-1", "timestamp": "2026-03-02T09:00:00Z",
                 "properties": {"url": "https://shop.example/"}}""");
        assertEquals("anon-1", page.customerId());
    }

    @Test
    void originalTimestampIsUsedWhenTimestampIsAbsent() {
        var page = parse("""
                {"type": "page", "messageId": "m2", "userId": "gus", "originalTimestamp": "2026-03-02T09:00:00Z",
                 "properties": {"url": "https://shop.example/"}}""");
        assertEquals(T, page.timestamp());
    }

    @Test
    void identifyBecomesTheCustomerProfile() {
        var p = assertInstanceOf(CustomerProfile.class, parse("""
                {"type": "identify", "messageId": "m-9", "userId": "ana", "timestamp": "2026-03-02T09:00:00Z",
                 "context": {"timezone": "Europe/Amsterdam", "locale": "nl-NL"},
                 "traits": {"email": "ana@example.com", "first_name": "Ana", "marketing_consent": true,
                            "plan": "premium", "lifetime_value": 512.25}}"""));
        assertEquals("m-9", p.eventId());
        assertEquals("ana", p.customerId());
        assertEquals("ana@example.com", p.email());
        assertEquals("Ana", p.firstName());
        assertEquals("nl-NL", p.locale());
        assertEquals("Europe/Amsterdam", p.timeZone());
        assertEquals(Boolean.TRUE, p.marketingConsent());
        assertEquals(java.util.Map.of("plan", "premium", "lifetime_value", new java.math.BigDecimal("512.25")),
                p.attributes(), "traits Nudge does not read itself are attributes");
    }

    @Test
    void identifyWithoutTraitsIsAnEmptyProfile() {
        var p = assertInstanceOf(CustomerProfile.class, parse("""
                {"type": "identify", "messageId": "m-10", "anonymousId": "anon-1", "timestamp": "2026-03-02T09:00:00Z"}"""));
        assertNull(p.email());
        assertNull(p.timeZone());
        assertNull(p.marketingConsent());
    }

    @Test
    void anAliasCallMergesThePreviousIdIntoTheUserId() {
        var merge = assertInstanceOf(CustomerMerged.class, parse("""
                {"type": "alias", "messageId": "m1", "previousId": "anon-7", "userId": "gus",
                 "timestamp": "2026-03-02T09:00:00.000Z"}"""));
        assertEquals(new CustomerMerged("m1", "anon-7", T, "gus"), merge);
        assertInstanceOf(ParseResult.Rejected.class, new EventParser(Json.mapper()).parse("""
                {"type": "alias", "messageId": "m1", "previousId": "gus", "userId": "gus",
                 "timestamp": "2026-03-02T09:00:00.000Z"}""".getBytes()), "an id merged into itself");
    }

    @Test
    void aCallNamingBothIdsIsTheUsersAndNamesTheAnonymousIdToMerge() {
        var parsed = assertInstanceOf(ParseResult.Parsed.class, new EventParser(Json.mapper()).parse("""
                {"type": "page", "messageId": "m1", "anonymousId": "anon-7", "userId": "gus",
                 "timestamp": "2026-03-02T09:00:00.000Z", "properties": {"url": "https://shop.example/"}}"""
                .getBytes()));
        assertEquals("gus", parsed.event().customerId());
        assertEquals("anon-7", parsed.previousId());
        var anonymousOnly = (ParseResult.Parsed) new EventParser(Json.mapper()).parse("""
                {"type": "page", "messageId": "m2", "anonymousId": "anon-7",
                 "timestamp": "2026-03-02T09:00:00.000Z", "properties": {"url": "https://shop.example/"}}"""
                .getBytes());
        assertNull(anonymousOnly.previousId());
    }
}
