package dev.nudge.engine;

import dev.nudge.event.CartChanged;
import dev.nudge.event.CartChanged.Change;
import dev.nudge.event.CartUpdated;
import dev.nudge.event.Item;
import dev.nudge.event.PageVisited;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Cart changes become whole carts: quantities, whole carts in between, late changes, and forgetting. */
class CartBookTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final long RETENTION = Duration.ofHours(5).toMillis();

    private final CartBook book = new CartBook(RETENTION);

    private static Instant at(int minutes) {
        return T0.plusSeconds(minutes * 60L);
    }

    private static Item item(String product, int quantity) {
        return new Item(product, null, null, quantity, null, null);
    }

    private static CartChanged change(String id, Instant t, String product, int quantity, Change change) {
        return new CartChanged(id, "gus", t, "cart-1", item(product, quantity), change);
    }

    private CartUpdated apply(CartChanged change) {
        return (CartUpdated) book.toFact(change);
    }

    @Test
    void addingAddsToTheLineAndRemovingTakesTheQuantityGivenOrAll() {
        apply(change("a1", at(0), "kettle", 1, Change.ADD));
        assertEquals(List.of(item("kettle", 1), item("mug", 3)), apply(change("a2", at(1), "mug", 3, Change.ADD)).items());
        assertEquals(List.of(item("kettle", 2), item("mug", 3)),
                apply(change("a3", at(2), "kettle", 1, Change.ADD)).items());
        assertEquals(List.of(item("kettle", 2), item("mug", 1)),
                apply(change("r1", at(3), "mug", 2, Change.REMOVE)).items());
        CartUpdated last = apply(change("r2", at(4), "kettle", 1, Change.REMOVE_ALL));
        assertEquals(List.of(item("mug", 1)), last.items());
        assertEquals("r2", last.eventId());
        assertEquals(at(4), last.timestamp());
        assertEquals(List.of(), apply(change("r3", at(5), "mug", 5, Change.REMOVE)).items());
    }

    @Test
    void addingKeepsTheDescriptionTheCallLeavesOut() {
        book.toFact(new CartChanged("a1", "gus", at(0), "cart-1",
                new Item("kettle", "Kettle", new BigDecimal("49.00"), 1, "https://shop.example/k", null), Change.ADD));
        CartUpdated cart = apply(new CartChanged("a2", "gus", at(1), "cart-1",
                new Item("kettle", null, new BigDecimal("45.00"), 1, null, null), Change.ADD));
        assertEquals(List.of(new Item("kettle", "Kettle", new BigDecimal("45.00"), 2, "https://shop.example/k", null)),
                cart.items());
    }

    @Test
    void aPriceKeepsItsOwnCurrencyAndANewPriceBringsItsCurrencyAlong() {
        book.toFact(new CartChanged("a1", "gus", at(0), "cart-1",
                new Item("kettle", "Kettle", new BigDecimal("49.00"), 1, null, null, "CHF"), Change.ADD));
        // the same kettle added again, no price given: the line keeps its price and the price its currency
        assertEquals("CHF", apply(new CartChanged("a2", "gus", at(1), "cart-1",
                new Item("kettle", null, null, 1, null, null), Change.ADD)).items().get(0).currency());
        // a new price without a currency is in the shop's default currency, not in the old price's
        Item repriced = apply(new CartChanged("a3", "gus", at(2), "cart-1",
                new Item("kettle", null, new BigDecimal("45.00"), 1, null, null), Change.ADD)).items().get(0);
        assertEquals(new BigDecimal("45.00"), repriced.price());
        assertEquals(null, repriced.currency());
        assertEquals(3, repriced.quantity());
    }

    @Test
    void wholeCartReplacesTheContentAndContainsOlderChanges() {
        apply(change("a1", at(0), "kettle", 1, Change.ADD));
        CartUpdated whole = new CartUpdated("v1", "gus", at(10), "cart-1", List.of(item("mug", 2)));
        assertSame(whole, book.toFact(whole));
        assertEquals(List.of(item("mug", 2), item("kettle", 1)), apply(change("a2", at(11), "kettle", 1, Change.ADD)).items());
        // a change from before the whole cart is in it already: nothing new for the rules
        assertNull(book.toFact(change("late", at(9), "spoon", 1, Change.ADD)));
        // a whole cart older than the latest change does not undo it
        book.toFact(new CartUpdated("v0", "gus", at(5), "cart-1", List.of()));
        assertEquals(List.of(item("mug", 2), item("kettle", 2)), apply(change("a3", at(12), "kettle", 1, Change.ADD)).items());
    }

    @Test
    void lateOrSimultaneousChangeBecomesTheNewestCartJustAfterTheLatestChange() {
        apply(change("a2", at(5), "mug", 1, Change.ADD));
        CartUpdated late = apply(change("a1", at(4), "kettle", 1, Change.ADD));
        assertEquals(List.of(item("mug", 1), item("kettle", 1)), late.items());
        assertEquals(at(5).plusMillis(1), late.timestamp());
        assertEquals(at(5).plusMillis(2), apply(change("a3", at(5), "spoon", 1, Change.ADD)).timestamp());
    }

    @Test
    void cartsOfOtherCustomersAndOtherEventsAreLeftAlone() {
        apply(change("a1", at(0), "kettle", 1, Change.ADD));
        CartUpdated other = (CartUpdated) book.toFact(new CartChanged("b1", "hana", at(1), "cart-1", item("mug", 1),
                Change.ADD));
        assertEquals(List.of(item("mug", 1)), other.items());
        PageVisited page = new PageVisited("p1", "gus", at(2), "/");
        assertSame(page, book.toFact(page));
    }

    @Test
    void cartUnchangedForTheRetentionIsForgotten() {
        apply(change("a1", at(0), "kettle", 1, Change.ADD));
        book.toFact(new CartChanged("b1", "hana", at(60), "cart-2", item("mug", 1), Change.ADD));
        book.forgetBefore(at(0).toEpochMilli() + RETENTION);
        assertEquals(2, book.size(), "kept for exactly the retention");
        book.forgetBefore(at(0).toEpochMilli() + RETENTION + 1);
        assertEquals(1, book.size(), "the cart unchanged for longer is forgotten, the younger one kept");
        // a change after that starts from an empty cart, as the rules have forgotten the old one too
        assertEquals(List.of(item("spoon", 1)), apply(change("a2", at(400), "spoon", 1, Change.ADD)).items());
        book.forgetBefore(at(400).toEpochMilli() + RETENTION + 1);
        assertEquals(0, book.size());
    }
}
