package dev.nudge.engine;

import dev.nudge.decision.Recipient;
import dev.nudge.event.CartUpdated;
import dev.nudge.event.CustomerProfile;
import dev.nudge.event.Item;
import dev.nudge.event.ProductViewed;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a decision carries stays small whatever the shop sent: what is left out is said, never silently dropped. */
class MailContentTest {

    private static final Instant T = Instant.parse("2026-03-02T10:00:00Z");

    @Test
    void aTenThousandLineCartCarriesAHundredLinesAndHowManyMore() {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            items.add(new Item("p" + i, "Product " + i, BigDecimal.ONE, 1, null, null));
        }
        Map<String, Object> p = MailContent.payload(new CartUpdated("c1", "ana", T, "cart-1", items));
        assertEquals(100, ((List<?>) p.get("items")).size());
        assertEquals(9_900, p.get("moreItems"));
    }

    @Test
    void theCategoryOfAViewedProductAndOfACartLineReachesTheMail() {
        Map<?, ?> product = (Map<?, ?>) MailContent.payload(new dev.nudge.event.ProductViewed("v1", "ana", T, "lamp-7",
                "Desk lamp", null, null, null, null, "home/lighting")).get("product");
        assertEquals("home/lighting", product.get("category"));
        Item shoe = new Item("shoe-42", "Trail shoe", null, 1, null, null, null, "running");
        List<?> lines = (List<?>) MailContent.payload(new CartUpdated("c1", "ana", T, "cart-1", List.of(shoe)))
                .get("items");
        assertEquals("running", ((Item) lines.get(0)).category());
    }

    @Test
    void aHugeNameIsCutWithAMarkerAndAnOverlongLinkIsLeftOut() {
        String name = "x".repeat(600_000);
        String url = "https://shop.example/" + "y".repeat(5_000);
        @SuppressWarnings("unchecked")
        Map<String, Object> product = (Map<String, Object>) MailContent.payload(
                new ProductViewed("v1", "ana", T, "p1", name, BigDecimal.TEN, url, "https://img.example/p1.jpg"))
                .get("product");
        String shown = (String) product.get("name");
        assertTrue(shown.length() < 600 && shown.endsWith("(599500 more characters)"), shown.substring(480));
        assertFalse(product.containsKey("url"), "a link no mail client keeps is left out, not cut");
        assertEquals("https://img.example/p1.jpg", product.get("imageUrl"));
    }

    @Test
    void aProfileWith600KilobytesOfAttributesKeepsWhatFitsAndSaysHowManyMore() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("tier", "vip");
        for (int i = 0; i < 60; i++) {
            attributes.put("note" + i, "z".repeat(10_000));
        }
        Recipient r = MailContent.recipient(new CustomerProfile("p1", "ana", T, "ana@example.com", "Ana", "de-DE",
                null, true, attributes));
        int kept = r.attributes().size() - 1;
        assertEquals((61 - kept) + " more attributes left out (over 16384 characters)", r.attributes().get("…"));
        assertTrue(kept >= 1 && kept <= 2, "what fits in 16 KB stays: " + r.attributes().keySet());
        assertEquals("ana@example.com", r.email(), "an address is never cut: a cut one would be another address");
        assertNull(MailContent.recipient(null));
    }
}
