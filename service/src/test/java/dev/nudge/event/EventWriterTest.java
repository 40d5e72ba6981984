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
                new PageVisited("e4", "bob", Instant.parse("2026-03-02T10:07:00Z"), "https://x/pricing"));
        for (CustomerEvent e : events) {
            ParseResult r = new EventParser(json).parse(new EventWriter(json).write(e));
            assertEquals(new ParseResult.Parsed(e), r);
        }
    }
}
