package dev.nudge.event;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Nudge's own event format: every type read with all its fields, and the defaults of the optional ones. */
class NativeEventParsingTest {

    private static final Instant T = Instant.parse("2026-03-02T09:00:00Z");

    /** Parses and insists on success, so a rejection shows its reason in the failure. */
    static CustomerEvent parse(String json) {
        ParseResult r = new EventParser(Json.mapper()).parse(json.getBytes(StandardCharsets.UTF_8));
        if (r instanceof ParseResult.Rejected rejected) {
            throw new AssertionError("rejected: " + rejected.reason());
        }
        return ((ParseResult.Parsed) r).event();
    }

    @Test
    void aPriceKeepsItsCurrencyInUpperCaseAndAnUnknownCodeIsRefused() {
        var cart = assertInstanceOf(CartUpdated.class, parse("""
                {"type": "CartUpdated", "eventId": "e1", "customerId": "ana", "timestamp": "2026-03-02T09:00:00Z",
                 "cartId": "cart-1", "items": [{"productId": "shoe-42", "price": 89.90, "currency": "chf"},
                 {"productId": "sock-1", "price": 9}]}"""));
        assertEquals("CHF", cart.items().get(0).currency());
        assertNull(cart.items().get(1).currency(), "no currency: the mail shows send.currency");
        var view = assertInstanceOf(ProductViewed.class, parse("""
                {"type": "ProductViewed", "eventId": "v1", "customerId": "eve", "timestamp": "2026-03-02T09:00:00Z",
                 "productId": "lamp-7", "price": 39, "currency": "USD"}"""));
        assertEquals("USD", view.currency());
        ParseResult r = new EventParser(Json.mapper()).parse("""
                {"type": "ProductViewed", "eventId": "v2", "customerId": "eve", "timestamp": "2026-03-02T09:00:00Z",
                 "productId": "lamp-7", "price": 39, "currency": "XYZ"}""".getBytes(StandardCharsets.UTF_8));
        assertEquals("field 'currency' must be an ISO 4217 currency code such as EUR or USD",
                assertInstanceOf(ParseResult.Rejected.class, r).reason());
    }

    @Test
    void aProductAndACartLineCarryTheirCategory() {
        var cart = assertInstanceOf(CartUpdated.class, parse("""
                {"type": "CartUpdated", "eventId": "e1", "customerId": "ana", "timestamp": "2026-03-02T09:00:00Z",
                 "cartId": "cart-1", "items": [{"productId": "shoe-42", "category": " running "}, {"productId": "x"}]}"""));
        assertEquals("running", cart.items().get(0).category());
        assertNull(cart.items().get(1).category(), "a category is optional");
        var view = assertInstanceOf(ProductViewed.class, parse("""
                {"type": "ProductViewed", "eventId": "v1", "customerId": "eve", "timestamp": "2026-03-02T09:00:00Z",
                 "productId": "lamp-7", "category": "home/lighting"}"""));
        assertEquals("home/lighting", view.category());
        ParseResult r = new EventParser(Json.mapper()).parse("""
                {"type": "ProductViewed", "eventId": "v2", "customerId": "eve", "timestamp": "2026-03-02T09:00:00Z",
                 "productId": "lamp-7", "category": 7}""".getBytes(StandardCharsets.UTF_8));
        assertEquals("field 'category' must be a string", assertInstanceOf(ParseResult.Rejected.class, r).reason());
    }

    @Test
    void cartUpdatedWithAllFields() {
        var cart = assertInstanceOf(CartUpdated.class, parse("""
                {"type": "CartUpdated", "eventId": "e1", "customerId": "ana", "timestamp": "2026-03-02T09:00:00Z",
                 "cartId": "cart-1", "items": [{"productId": "shoe-42", "name": "Trail shoe", "price": 89.90,
                 "quantity": 2, "url": "https://shop.example/p/shoe-42", "imageUrl": "https://cdn.example/s.jpg"}]}"""));
        assertEquals("e1", cart.eventId());
        assertEquals("ana", cart.customerId());
        assertEquals(T, cart.timestamp());
        assertEquals(T.toEpochMilli(), cart.getEventTime());
        assertEquals("cart-1", cart.cartId());
        // prices keep their digits as written: 89.90 stays 89.90
        assertEquals(List.of(new Item("shoe-42", "Trail shoe", new BigDecimal("89.90"), 2,
                "https://shop.example/p/shoe-42", "https://cdn.example/s.jpg")), cart.items());
        assertEquals("CartUpdated", cart.type());
    }

    @Test
    void itemDefaultsToQuantityOneAndAcceptsPriceAsText() {
        var cart = (CartUpdated) parse("""
                {"type": "CartUpdated", "eventId": "e1", "customerId": "ana", "timestamp": "2026-03-02T09:00:00Z",
                 "cartId": "cart-1", "items": [{"productId": "shoe-42", "price": "89.90"}]}""");
        assertEquals(new Item("shoe-42", null, new BigDecimal("89.90"), 1, null, null), cart.items().get(0));
    }

    @Test
    void cartUpdatedWithoutItemsIsAnEmptyCart() {
        var cart = (CartUpdated) parse("""
                {"type": "CartUpdated", "eventId": "e1", "customerId": "ana", "timestamp": "2026-03-02T09:00:00Z",
                 "cartId": "cart-1"}""");
        assertEquals(List.of(), cart.items());
    }

    @Test
    void checkoutCompletedWithAllFields() {
        var checkout = assertInstanceOf(CheckoutCompleted.class, parse("""
                {"type": "CheckoutCompleted", "eventId": "e2", "customerId": "ana",
                 "timestamp": "2026-03-02T09:29:59Z", "cartId": "cart-1", "orderId": "o-1", "total": 89.90,
                 "currency": "EUR"}"""));
        assertEquals(new CheckoutCompleted("e2", "ana", T.plusSeconds(29 * 60 + 59), "cart-1", "o-1",
                new BigDecimal("89.90"), "EUR"), checkout);
    }

    @Test
    void checkoutCompletedWithoutCartNamesNoCart() {
        var checkout = (CheckoutCompleted) parse("""
                {"type": "CheckoutCompleted", "eventId": "e2", "customerId": "ana",
                 "timestamp": "2026-03-02T09:00:00Z", "orderId": "o-1"}""");
        assertNull(checkout.cartId());
        assertNull(checkout.total());
    }

    @Test
    void productViewedWithAllFields() {
        var view = assertInstanceOf(ProductViewed.class, parse("""
                {"type": "ProductViewed", "eventId": "v1", "customerId": "eve", "timestamp": "2026-03-02T09:00:00Z",
                 "productId": "lamp-7", "name": "Desk lamp", "price": 39, "url": "https://shop.example/p/lamp-7",
                 "imageUrl": "https://cdn.example/lamp-7.jpg"}"""));
        assertEquals(new ProductViewed("v1", "eve", T, "lamp-7", "Desk lamp", new BigDecimal("39"),
                "https://shop.example/p/lamp-7", "https://cdn.example/lamp-7.jpg"), view);
    }

    @Test
    void pageVisitedWithAllFields() {
        var page = assertInstanceOf(PageVisited.class, parse("""
                {"type": "PageVisited", "eventId": "p1", "customerId": "fay", "timestamp": "2026-03-02T09:00:00Z",
                 "url": "https://shop.example/pricing"}"""));
        assertEquals(new PageVisited("p1", "fay", T, "https://shop.example/pricing"), page);
    }

    @Test
    void timestampWithOffsetIsTheSameInstant() {
        var page = parse("""
                {"type": "PageVisited", "eventId": "p1", "customerId": "fay", "timestamp": "2026-03-02T10:00:00+01:00",
                 "url": "https://shop.example/"}""");
        assertEquals(T, page.timestamp());
    }

    @Test
    void customerProfileWithAttributes() {
        var p = assertInstanceOf(CustomerProfile.class, parse("""
                {"type": "CustomerProfile", "eventId": "p1", "customerId": "ana", "timestamp": "2026-03-02T09:00:00Z",
                 "email": "ana@example.com", "firstName": "Ana", "locale": "de-DE", "timeZone": "Europe/Berlin",
                 "marketingConsent": true, "attributes": {"tier": "vip", "lifetimeValue": 1234.50, "tags": ["a"],
                 "gone": null}}"""));
        assertEquals("ana@example.com", p.email());
        assertEquals("Ana", p.firstName());
        assertEquals("de-DE", p.locale());
        assertEquals("Europe/Berlin", p.timeZone());
        assertEquals(Boolean.TRUE, p.marketingConsent());
        assertEquals("vip", p.attributes().get("tier"));
        assertEquals(new BigDecimal("1234.50"), p.attributes().get("lifetimeValue"));
        assertEquals(List.of("a"), p.attributes().get("tags"));
        assertEquals(3, p.attributes().size(), "a null attribute is absent");
    }

    @Test
    void profileFieldsAreOptional() {
        var p = assertInstanceOf(CustomerProfile.class, parse("""
                {"type": "CustomerProfile", "eventId": "p1", "customerId": "ana", "timestamp": "2026-03-02T09:00:00Z"}"""));
        assertNull(p.marketingConsent());
        assertNull(p.timeZone());
        assertEquals(java.util.Map.of(), p.attributes());
    }

    @Test
    void consentSignals() {
        var u = assertInstanceOf(Unsubscribed.class, parse("""
                {"type": "Unsubscribed", "eventId": "u1", "customerId": "ana", "timestamp": "2026-03-02T09:00:00Z",
                 "campaign": "cart-abandonment"}"""));
        assertEquals("cart-abandonment", u.campaign());
        assertEquals(false, u.optsIn());
        assertEquals("unsubscribed", u.reason());
        assertEquals(true, assertInstanceOf(Subscribed.class, parse("""
                {"type": "Subscribed", "eventId": "s1", "customerId": "ana", "timestamp": "2026-03-02T09:00:00Z"}""")).optsIn());
        assertEquals("spam-complaint", assertInstanceOf(SpamComplaint.class, parse("""
                {"type": "SpamComplaint", "eventId": "k1", "customerId": "ana", "timestamp": "2026-03-02T09:00:00Z"}""")).reason());
        var hard = assertInstanceOf(EmailBounced.class, parse("""
                {"type": "EmailBounced", "eventId": "b1", "customerId": "ana", "timestamp": "2026-03-02T09:00:00Z",
                 "hard": true, "detail": "550 5.1.1"}"""));
        assertEquals(true, hard.decisive());
        assertEquals("550 5.1.1", hard.detail());
        var soft = assertInstanceOf(EmailBounced.class, parse("""
                {"type": "EmailBounced", "eventId": "b2", "customerId": "ana", "timestamp": "2026-03-02T09:00:00Z"}"""));
        assertEquals(false, soft.decisive(), "a bounce that does not say hard is soft");
    }

    @Test
    void emailSentNamesItsDecision() {
        var sent = assertInstanceOf(EmailSent.class, parse("""
                {"type": "EmailSent", "eventId": "m1", "customerId": "ana", "timestamp": "2026-03-02T09:00:00Z",
                 "decisionId": "d-1", "campaign": "cart-abandonment"}"""));
        assertEquals("d-1", sent.decisionId());
        assertEquals("cart-abandonment", sent.campaign());
    }
}
