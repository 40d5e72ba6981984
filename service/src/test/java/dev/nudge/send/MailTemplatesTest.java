package dev.nudge.send;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.config.SendConfig;
import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionJson;
import dev.nudge.decision.DecisionKind;
import dev.nudge.decision.Recipient;
import dev.nudge.event.Item;
import dev.nudge.event.Json;
import dev.nudge.testing.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped templates as a customer reads them, and what happens when a campaign's templates fail. */
class MailTemplatesTest {

    private static final Path SHIPPED = Paths.DEPLOY.resolve("templates");
    private static final MailLinks LINKS = new MailLinks("https://shop.example/", "https://shop.example/u?c=ana&s=f00");
    private static final String UNSUBSCRIBE_IN_HTML = "href=\"https://shop.example/u?c=ana&amp;s=f00\"";
    private static final Recipient ANA = new Recipient("ana@example.com", "Ana", "en-GB", Map.of());
    private static final Item SHOE = new Item("shoe-42", "Trail shoe", new BigDecimal("89.90"), 1,
            "https://shop.example/p/shoe-42", "https://cdn.shop.example/shoe-42.jpg");
    private static final Item SOCKS = new Item("socks-3", "Wool socks", new BigDecimal("12.50"), 2, null, null);

    private final MailTemplates shipped = new MailTemplates(SHIPPED);

    @Test
    void aCartMailGreetsByNameListsTheCartAndLinksBackToItAndToUnsubscribe() throws Exception {
        RenderedMail m = shipped.render(cartMail("cart 7", ANA, SHOE, SOCKS), LINKS);

        assertEquals("cart-abandonment", m.template());
        assertEquals("Ana, your cart is waiting for you", m.subject());
        assertContains(m.html(), "Hi Ana,", ">Trail shoe</a>", "Quantity: 1", "89.90", "src=\"https://cdn.shop.example/shoe-42.jpg\"",
                "Wool socks", "Quantity: 2 &times; 12.50", "25.00", "Total", "114.90",
                "href=\"https://shop.example/cart/cart%207\"", "Back to your cart", UNSUBSCRIBE_IN_HTML);
        assertContains(m.text(), "Hi Ana,", "- Trail shoe, quantity 1: 89.90", "- Wool socks, quantity 2: 25.00",
                "Total: 114.90", "Back to your cart: https://shop.example/cart/cart%207",
                "Unsubscribe: https://shop.example/u?c=ana&s=f00");
    }

    @Test
    void aProductNameIsShownNotInterpretedAsHtml() throws Exception {
        Item mug = new Item("mug-1", "<b>Mug & Co</b>", BigDecimal.TEN, 1, null, "https://cdn.shop.example/mug.jpg");
        RenderedMail m = shipped.render(cartMail("cart-1", ANA, mug), LINKS);

        assertContains(m.html(), ">&lt;b&gt;Mug &amp; Co&lt;/b&gt;<", "alt=\"&lt;b&gt;Mug &amp; Co&lt;/b&gt;\"");
        assertFalse(m.html().contains("<b>Mug"), m.html());
        assertContains(m.text(), "<b>Mug & Co</b>");
    }

    @Test
    void withoutAFirstNameTheGreetingIsGeneric() throws Exception {
        for (Recipient nobody : Arrays.asList(null, new Recipient(null, null, null, null),
                new Recipient("x@example.com", "  ", null, Map.of()))) {
            RenderedMail m = shipped.render(cartMail("cart-1", nobody, SHOE), LINKS);
            assertEquals("Your cart is waiting for you", m.subject());
            assertContains(m.html(), "Hi there,");
            assertContains(m.text(), "Hi there,");
        }
    }

    @Test
    void aLineWithoutPriceOrImageIsListedWithoutThem() throws Exception {
        Item gift = new Item("gift-card", null, null, 1, null, null);
        RenderedMail m = shipped.render(cartMail("cart-1", ANA, gift, SHOE), LINKS);

        assertEquals("cart-abandonment", m.template());
        String giftRow = m.html().substring(m.html().indexOf("<strong>gift-card</strong>"));
        giftRow = giftRow.substring(0, giftRow.indexOf("</tr>"));
        assertFalse(giftRow.matches("(?s).*\\d[.,]\\d\\d.*"), "no price on the gift card's line: " + giftRow);
        assertEquals(1, m.html().split("<img ").length - 1, "only the shoe has an image");
        assertContains(m.html(), "89.90");
        assertContains(m.text(), "- gift-card, quantity 1\n");

        RenderedMail unpriced = shipped.render(cartMail("cart-1", ANA, gift), LINKS);
        assertFalse(unpriced.html().contains("Total"), "no total when nothing has a price");
        assertFalse(unpriced.text().contains("Total"));
    }

    @Test
    void aBrowseMailShowsTheProductAndLinksToIt() throws Exception {
        Map<String, Object> lamp = Map.of("productId", "lamp-7", "name", "Desk lamp", "price", new BigDecimal("39.00"),
                "url", "https://shop.example/p/lamp-7", "imageUrl", "https://cdn.shop.example/lamp-7.jpg");
        RenderedMail m = shipped.render(decision("browse-abandonment", Map.of("product", lamp), ANA), LINKS);

        assertEquals("Desk lamp – still on your mind?", m.subject());
        assertContains(m.html(), "src=\"https://cdn.shop.example/lamp-7.jpg\"", "Desk lamp", "39.00",
                "href=\"https://shop.example/p/lamp-7\"", UNSUBSCRIBE_IN_HTML);
        assertContains(m.text(), "Desk lamp: 39.00", "Take another look: https://shop.example/p/lamp-7");
    }

    @Test
    void pricesShowTheirCurrencyTheItemsOwnOrElseTheShopsAndTwoCurrenciesMakeNoTotal() throws Exception {
        MailTemplates outdoor = new MailTemplates(SHIPPED, new SendConfig.Shop("Alpine Outfitters",
                "Bergstrasse 5, 6020 Innsbruck, Austria", "chf"));
        // as read back from Kafka: maps, one line with a currency of its own
        Map<String, Object> boots = Map.of("productId", "boot-1", "name", "Hiking boots", "price", 159, "currency", "EUR");
        RenderedMail one = outdoor.render(cartMail("cart-1", ANA, SHOE), LINKS);
        assertContains(one.html(), "89.90 CHF", "Total", ">89.90 CHF<");
        assertContains(one.text(), "- Trail shoe, quantity 1: 89.90 CHF", "Total: 89.90 CHF");

        RenderedMail mixed = outdoor.render(decision("cart-abandonment",
                Map.of("cartId", "cart-2", "items", List.of(SHOE, boots)), ANA), LINKS);
        assertContains(mixed.html(), "89.90 CHF", "159.00 EUR");
        assertFalse(mixed.html().contains("Total"), "89.90 CHF and 159.00 EUR do not add up: " + mixed.html());

        Map<String, Object> lamp = Map.of("productId", "lamp-7", "name", "Desk lamp", "price", 39, "currency", "usd");
        assertContains(outdoor.render(decision("browse-abandonment", Map.of("product", lamp), ANA), LINKS).text(),
                "Desk lamp: 39.00 USD");
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "cart-abandonment", "cart-abandonment-vip", "browse-abandonment",
            "pricing-page-interest", "checkout-abandonment"})
    void everyShippedMailNamesTheShopAndItsPostalAddressInTheFooter(String campaign) throws Exception {
        MailTemplates outdoor = new MailTemplates(SHIPPED, new SendConfig.Shop("Alpine & Co",
                "Bergstrasse 5, 6020 Innsbruck, Austria", "EUR"));
        Map<String, Object> payload = switch (campaign) {
            case "browse-abandonment" -> Map.of("product", Map.of("productId", "lamp-7"));
            case "pricing-page-interest" -> Map.of("url", "https://shop.example/pricing");
            case "checkout-abandonment" -> Map.of("url", "https://shop.example/checkout");
            default -> Map.of("cartId", "cart-1", "items", List.of(SHOE));
        };
        RenderedMail m = outdoor.render(decision(campaign, payload, ANA), LINKS);

        assertEquals(campaign, m.template());
        assertContains(m.html(), "Alpine &amp; Co &middot; Bergstrasse 5, 6020 Innsbruck, Austria");
        assertContains(m.text(), "Alpine & Co, Bergstrasse 5, 6020 Innsbruck, Austria");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cart-abandonment", "cart-abandonment-vip", "browse-abandonment", "pricing-page-interest",
            "checkout-abandonment"})
    void everyShippedCampaignRendersItsOwnMailWithAnUnsubscribeLink(String campaign) throws Exception {
        Map<String, Object> payload = switch (campaign) {
            case "browse-abandonment" -> Map.of("product", Map.of("productId", "lamp-7"));
            case "pricing-page-interest" -> Map.of("url", "https://shop.example/pricing");
            case "checkout-abandonment" -> Map.of("url", "https://shop.example/checkout");
            default -> Map.of("cartId", "cart-1", "items", List.of(SHOE));
        };
        RenderedMail m = shipped.render(decision(campaign, payload, null), LINKS);

        assertEquals(campaign, m.template(), "not the default mail");
        assertContains(m.html(), "Hi there,", UNSUBSCRIBE_IN_HTML);
        assertContains(m.text(), "Hi there,", "Unsubscribe: https://shop.example/u?c=ana&s=f00");
    }

    @Test
    void aTemplateSeesTheCategoryOfAProductAndOfEachCartLineAlsoAfterKafka(@TempDir Path dir) throws Exception {
        Path campaign = templatesWithDefault(dir).resolve("cart-abandonment");
        copy(SHIPPED.resolve("cart-abandonment"), campaign);
        Files.writeString(campaign.resolve("subject.ftl"),
                "<#list cart.items as i>${i.category!\"none\"}<#sep>, </#list>");
        Item shoe = new Item("shoe-42", "Trail shoe", new BigDecimal("89.90"), 1, null, null, null, "running");
        Decision made = cartMail("cart-1", ANA, shoe, SOCKS);
        ObjectMapper json = Json.mapper();
        Decision read = new DecisionJson(json).read(json.writeValueAsBytes(made));
        MailTemplates templates = new MailTemplates(dir);

        assertEquals("running, none", templates.render(made, LINKS).subject());
        assertEquals("running, none", templates.render(read, LINKS).subject());

        Path browse = dir.resolve("browse-abandonment");
        copy(SHIPPED.resolve("browse-abandonment"), browse);
        Files.writeString(browse.resolve("subject.ftl"), "More ${product.category} for you");
        Decision viewed = decision("browse-abandonment", Map.of("product", Map.of("productId", "lamp-7",
                "name", "Desk lamp", "category", "home/lighting")), ANA);
        assertEquals("More home/lighting for you", templates.render(viewed, LINKS).subject());
    }

    @Test
    void aCampaignWithoutTemplatesGetsTheDefaultMail() throws Exception {
        for (String campaign : List.of("spring-sale", "../templates/cart-abandonment")) {
            RenderedMail m = shipped.render(decision(campaign, Map.of("url", "https://shop.example/sale"), ANA), LINKS);
            assertEquals("default", m.template());
            assertEquals("Ana, still thinking it over?", m.subject());
            assertContains(m.html(), "href=\"https://shop.example/sale\"", UNSUBSCRIBE_IN_HTML);
        }
        // the cart mail needs a cart: a decision without one gets the default mail rather than none
        RenderedMail m = shipped.render(decision("cart-abandonment", Map.of(), ANA), LINKS);
        assertEquals("default", m.template());
        assertContains(m.text(), "Visit the shop: https://shop.example\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"html.ftlh=<#if cart??>never closed", "text.ftl=${cart.nothingHere}",
            "subject.ftl=<#-- forgot the subject -->  \n ", "html.ftlh=", "text.ftl=${cart.items[0].price + 'x'?number}",
            "text.ftl=An edited mail that lost its unsubscribe link", "html.ftlh=<p>No way out of this list</p>"})
    void aFailingCampaignTemplateFallsBackToTheDefaultMail(String broken, @TempDir Path dir) throws Exception {
        Path campaign = templatesWithDefault(dir).resolve("cart-abandonment");
        copy(SHIPPED.resolve("cart-abandonment"), campaign);
        String[] fileAndContent = broken.split("=", 2);
        Files.writeString(campaign.resolve(fileAndContent[0]), fileAndContent[1]);

        RenderedMail m = new MailTemplates(dir).render(cartMail("cart-1", ANA, SHOE), LINKS);

        assertEquals("default", m.template());
        assertEquals("Ana, still thinking it over?", m.subject());
        assertContains(m.html(), "Trail shoe", "href=\"https://shop.example/cart/cart-1\"");
    }

    @Test
    void whenTheDefaultFailsTooThereIsNoMail(@TempDir Path dir) throws Exception {
        templatesWithDefault(dir);
        Files.writeString(dir.resolve("default/html.ftlh"), "${links.nowhere}");
        Files.createDirectories(dir.resolve("cart-abandonment"));

        MailRenderException e = assertThrows(MailRenderException.class,
                () -> new MailTemplates(dir).render(cartMail("cart-1", ANA, SHOE), LINKS));
        assertContains(e.getMessage(), "d-1", "cart-abandonment", "links.nowhere");
    }

    @Test
    void aDecisionReadBackFromJsonRendersAsTheOneTheEngineMade() throws Exception {
        ObjectMapper json = Json.mapper();
        Item lamp = new Item("lamp-7", "Desk lamp", new BigDecimal("39"), 1, null, null);
        Decision made = cartMail("cart-1", ANA, SHOE, SOCKS, lamp);
        Decision inFrancs = cartMail("cart-2", ANA, new Item("lamp-7", "Desk lamp", new BigDecimal("39"), 1, null, null,
                "CHF"));
        assertEquals(shipped.render(inFrancs, LINKS), shipped.render(new DecisionJson(json).read(
                json.writeValueAsBytes(inFrancs)), LINKS), "the currency survives the trip through Kafka");
        assertContains(shipped.render(inFrancs, LINKS).text(), "Desk lamp, quantity 1: 39.00 CHF", "Total: 39.00 CHF");
        Decision read = new DecisionJson(json).read(json.writeValueAsBytes(made));
        assertInstanceOf(Map.class, ((List<?>) read.payload().get("items")).get(0), "the items came back as maps");

        RenderedMail fromRecords = shipped.render(made, LINKS);
        assertEquals(fromRecords, shipped.render(read, LINKS));
        assertContains(fromRecords.html(), "39.00", "153.90");
    }

    @ParameterizedTest
    @ValueSource(strings = {"de-DE", "de_DE"})
    void aGermanCustomerSeesPricesWithADecimalComma(String locale) throws Exception {
        Item sofa = new Item("sofa", "Sofa", new BigDecimal("1234.50"), 1, null, null);
        RenderedMail m = shipped.render(cartMail("cart-1", new Recipient(null, "Jonas", locale, null), sofa), LINKS);

        assertContains(m.html(), "1.234,50");
        assertContains(m.text(), "Total: 1.234,50");
        assertFalse(m.html().contains("1,234.50"), m.html());
    }

    @Test
    void theSubjectIsOneTrimmedLineAndAnEditedTemplateIsUsedWithinSeconds(@TempDir Path dir) throws Exception {
        templatesWithDefault(dir);
        Path subject = dir.resolve("default/subject.ftl");
        Files.writeString(subject, "\n  Hello\r\n   ${customer.firstName}\t, welcome back  \n");
        MailTemplates templates = new MailTemplates(dir);
        assertEquals("Hello Ana , welcome back", templates.render(cartMail("cart-1", ANA, SHOE), LINKS).subject());

        Files.writeString(subject, "Edited");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> templates.render(cartMail("cart-1", ANA, SHOE), LINKS).subject().equals("Edited"));
    }

    @Test
    void onlyHttpLinksAndImagesReachAMail() throws Exception {
        Item evil = new Item("x-1", "Shiny", new BigDecimal("1"), 1, "javascript:alert(document.cookie)",
                "data:image/svg+xml;base64,PHN2Zz4=");
        Item fine = new Item("y-1", "Plain", new BigDecimal("1"), 1, "https://shop.example/p/y-1",
                "http://img.example/y-1.jpg");
        RenderedMail m = shipped.render(cartMail("cart-1", ANA, evil, fine), LINKS);
        assertFalse(m.html().contains("javascript:"), m.html());
        assertFalse(m.html().contains("data:image"), m.html());
        assertContains(m.html(), "https://shop.example/p/y-1", "http://img.example/y-1.jpg", "Shiny");
    }

    @Test
    void aLineBreakInANameAddsNoLineToTheTextPart() throws Exception {
        Item forged = new Item("z-1", "Kettle\r\nBcc: everyone@example.com\nUnsubscribe: https://evil.example", 
                new BigDecimal("5"), 1, null, null);
        RenderedMail m = shipped.render(cartMail("cart-1", ANA, forged), LINKS);
        assertTrue(m.text().lines().noneMatch(l -> l.startsWith("Unsubscribe: https://evil")), m.text());
        assertContains(m.text(), "- Kettle Bcc: everyone@example.com Unsubscribe: https://evil.example");
    }

    @Test
    void aCartOfTenThousandLinesListsTwentyAndSaysHowManyMore() throws Exception {
        List<Item> items = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            items.add(new Item("p" + i, "Product " + i, new BigDecimal("1.00"), 1, null, null));
        }
        // the engine carried 100 lines of the 10,000 and said so
        Decision d = decision("cart-abandonment", Map.of("cartId", "cart-1", "items", items, "moreItems", 9_900), ANA);
        RenderedMail m = shipped.render(d, LINKS);
        assertContains(m.html(), "Product 19", "and 9,980 more items in your cart");
        assertFalse(m.html().contains("Product 20<"), "the 21st line is not listed");
        assertContains(m.text(), "- and 9,980 more items in your cart");
        assertFalse(m.text().contains("Total:"), "no total when the decision could not carry every line");
        assertTrue(m.html().length() < 40_000, "a mail a person can read: " + m.html().length());
    }

    @Test
    void aVeryLongSubjectIsCut(@TempDir Path dir) throws Exception {
        templatesWithDefault(dir);
        Files.writeString(dir.resolve("default/subject.ftl"), "${customer.firstName} " + "very ".repeat(100));
        String subject = new MailTemplates(dir).render(cartMail("cart-1", ANA, SHOE), LINKS).subject();
        assertTrue(subject.length() <= 150, subject.length() + ": " + subject);
        assertTrue(subject.endsWith("…"), subject);
    }

    private static Decision cartMail(String cartId, Recipient to, Item... items) {
        return decision("cart-abandonment", Map.of("cartId", cartId, "items", List.of(items)), to);
    }

    private static Decision decision(String campaign, Map<String, Object> payload, Recipient to) {
        return new Decision("d-1", DecisionKind.MAIL, null, "ana", campaign, "SomeRule", "v1",
                Instant.parse("2026-03-02T10:30:00Z"), null, null, List.of("e1"), payload, to);
    }

    private static Path templatesWithDefault(Path dir) throws IOException {
        copy(SHIPPED.resolve("default"), dir.resolve("default"));
        return dir;
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    private static void assertContains(String actual, String... expected) {
        for (String e : expected) {
            assertTrue(actual.contains(e), () -> "expected \"" + e + "\" in:\n" + actual);
        }
    }
}
