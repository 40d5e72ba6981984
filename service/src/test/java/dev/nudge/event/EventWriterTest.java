package dev.nudge.event;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EventWriterTest {

    @Test
    void whatIsWrittenParsesBackToTheSameEvent() {
        var json = Json.mapper();
        List<CustomerEvent> events = List.of(
                new CartUpdated("e1", "ana", Instant.parse("2026-03-02T10:00:00Z"), "cart-1",
                        List.of(new Item("mug", "Mug", new BigDecimal("12.50"), 2, "https://x/mug", null))),
                new CheckoutCompleted("e2", "ana", Instant.parse("2026-03-02T10:05:00.123Z"), null, "o-1",
                        new BigDecimal("25.00"), "EUR"),
                new ProductViewed("e3", "bob", Instant.parse("2026-03-02T10:06:00Z"), "mug", "Mug", null, null, null),
                new PageVisited("e4", "bob", Instant.parse("2026-03-02T10:07:00Z"), "https://x/pricing"),
                // every type the engine re-keys to the id a customer was merged into goes through this writer
                new CartChanged("e5", "bob", Instant.parse("2026-03-02T10:08:00Z"), "cart-2",
                        new Item("mug", "Mug", new BigDecimal("12.50"), 1, null, null), CartChanged.Change.REMOVE),
                new CustomerProfile("e6", "bob", Instant.parse("2026-03-02T10:09:00Z"), "bob@example.com", "Bob",
                        "de-DE", "Europe/Berlin", true, java.util.Map.of("tier", "vip")),
                new Unsubscribed("e7", "bob", Instant.parse("2026-03-02T10:10:00Z"), "cart-abandonment"),
                new Subscribed("e8", "bob", Instant.parse("2026-03-02T10:11:00Z")),
                new SpamComplaint("e9", "bob", Instant.parse("2026-03-02T10:12:00Z"), null),
                new EmailBounced("e10", "bob", Instant.parse("2026-03-02T10:13:00Z"), true, "550 no such user",
                        "cart-abandonment"),
                new EmailSent("e11", "bob", Instant.parse("2026-03-02T10:14:00Z"), "d-1", "cart-abandonment"),
                new EmailFailed("e12", "bob", Instant.parse("2026-03-02T10:15:00Z"), "d-2", "cart-abandonment", true,
                        "550"),
                new CustomerMerged("e13", "anon-1", Instant.parse("2026-03-02T10:16:00Z"), "bob"));
        for (CustomerEvent e : events) {
            ParseResult r = new EventParser(json).parse(new EventWriter(json).write(e));
            assertEquals(new ParseResult.Parsed(e), r);
        }
    }
}
