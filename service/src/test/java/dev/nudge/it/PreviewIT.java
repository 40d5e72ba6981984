package dev.nudge.it;

import dev.nudge.cli.Main;
import dev.nudge.config.NudgeConfig;
import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionKind;
import dev.nudge.decision.Recipient;
import dev.nudge.event.Item;
import dev.nudge.event.Json;
import dev.nudge.kafka.TopicAdmin;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.Paths;
import dev.nudge.testing.TestKafka;
import dev.nudge.testing.TestServices;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code nudge preview} against a real broker: decisions written to the decisions and audit topics as the engine
 * writes them, found by id (or its first 8 characters) and rendered without a mail going anywhere.
 */
@ExtendWith(BrokerExtension.class)
class PreviewIT {

    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    private static final Item SHOE = new Item("shoe-42", "Trail shoe", new BigDecimal("89.90"), 1,
            "https://shop.example/p/shoe-42", null);
    private static final String MAILED = "5a1e0c3b-1111-4000-8000-000000000001";
    private static final String HELD_OUT = "9b0d7e2f-2222-4000-8000-000000000002";

    @TempDir
    static Path dir;
    private static Path properties;

    @BeforeAll
    static void decisionsOnTheTopics() throws Exception {
        Map<String, String> settings = TestServices.settings(BrokerExtension.bootstrap, 2);
        NudgeConfig config = TestServices.config(settings);
        TopicAdmin.ensureTopics(BrokerExtension.bootstrap, config.kafka().topics());
        String decisions = config.kafka().topics().decisions();
        String audit = config.kafka().topics().audit();
        write(decisions, cart(MAILED, DecisionKind.MAIL, "Ana", T0));
        write(decisions, cart(HELD_OUT, DecisionKind.HOLDOUT, "Bea", T0.plusSeconds(60)));
        write(audit, cart(HELD_OUT, DecisionKind.HOLDOUT, "Bea", T0.plusSeconds(60)));
        // the campaign's later mails, oldest first, and one of another campaign in between
        write(decisions, cart("c0000000-3333-4000-8000-000000000003", DecisionKind.MAIL, "Cleo", T0.plusSeconds(120)));
        write(decisions, new Decision("d0000000-4444-4000-8000-000000000004", DecisionKind.MAIL, null, "dan",
                "browse-abandonment", "ProductViewedNotBought", "v1", T0.plusSeconds(150), null, null, List.of("e9"),
                Map.of("product", Map.of("productId", "mug", "name", "Mug")),
                new Recipient("dan@example.com", "Dan", "en", Map.of())));
        write(decisions, cart("e0000000-5555-4000-8000-000000000005", DecisionKind.MAIL, "Dora", T0.plusSeconds(180)));
        // an anonymous shopper's mail: decided, never sent (no address); on another campaign, out of --last's way
        write(decisions, new Decision("f0000000-6666-4000-8000-000000000006", DecisionKind.MAIL, null, "anon-7",
                "checkout-abandonment", "CheckoutStartedNotCompleted", "v1", T0.plusSeconds(200), null, null,
                List.of("e7"), Map.of("url", "https://shop.example/checkout"), null));
        properties = dir.resolve("nudge.properties");
        Files.writeString(properties, settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n")));
    }

    @Test
    void aMailedDecisionIsRenderedAsItsMailWithSubjectTextAndHtml() throws Exception {
        Path html = dir.resolve("mail.html");
        Result r = run("preview", MAILED.substring(0, 8), "--config", properties.toString(), "--out", html.toString());

        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("decision " + MAILED + " (mail) of campaign cart-abandonment for customer ana"),
                r.out());
        assertFalse(r.out().contains("not mailed"), r.out());
        assertContains(r.out(), "template: cart-abandonment", "to: ana@example.com",
                "subject: Ana, your cart is waiting for you", "--- text ---", "- Trail shoe, quantity 1: 89.90",
                "--- html written to " + html);
        assertContains(Files.readString(html), "Hi Ana,", ">Trail shoe</a>");

        Result onlyHtml = run("preview", MAILED, "--config", properties.toString(), "--html");
        assertEquals(Files.readString(html), onlyHtml.out());
    }

    @Test
    void aHoldoutIsRenderedAndMarkedNotMailed() {
        Result r = run("preview", HELD_OUT, "--config", properties.toString());

        assertEquals(0, r.exit(), r.err());
        assertContains(r.out(), "(holdout) of campaign cart-abandonment", "not mailed: holdout",
                "subject: Bea, your cart is waiting for you", "--- html ---", "Hi Bea,");
    }

    @Test
    void aMailWithoutAnAddressIsRenderedAndMarkedNotMailed() {
        Result r = run("preview", "f0000000", "--config", properties.toString());

        assertEquals(0, r.exit(), r.err());
        assertContains(r.out(), "(mail) of campaign checkout-abandonment", "not mailed: the decision has no e-mail "
                + "address", "to: (no address in the decision)", "Hi there,");
    }

    @Test
    void anUnknownIdIsOneLineAndExitOne() {
        Result r = run("preview", "no-such-decision", "--config", properties.toString());

        assertEquals(1, r.exit());
        assertEquals("", r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("nudge preview: no decision no-such-decision on decisions-"), r.err());
    }

    @Test
    void aChangedTemplateIsRenderedAgainstTheCampaignsLastDecisions(@TempDir Path templates) throws Exception {
        copyTemplates(templates);
        Files.writeString(templates.resolve("cart-abandonment/subject.ftl"),
                "Changed copy for ${customer.firstName!\"you\"}");

        Result r = run("preview", "--campaign", "cart-abandonment", "--last", "2", "--config", properties.toString(),
                "--templates", templates.toString());

        assertEquals(0, r.exit(), r.err());
        assertContains(r.out(), "=== 1 of 2 ===", "subject: Changed copy for Cleo", "=== 2 of 2 ===",
                "subject: Changed copy for Dora");
        assertTrue(r.out().indexOf("Cleo") < r.out().indexOf("Dora"), "oldest first");
        assertFalse(r.out().contains("Ana") || r.out().contains("Dan"), "two of its own, no more: " + r.out());
    }

    @Test
    void aTemplateErrorIsReportedWithItsFileAndLine(@TempDir Path templates) throws Exception {
        copyTemplates(templates);
        Files.writeString(templates.resolve("cart-abandonment/text.ftl"), "Hi\n\n${cart.items[0].colour}\n");

        Result r = run("preview", "--campaign", "cart-abandonment", "--last", "1", "--config", properties.toString(),
                "--templates", templates.toString());

        assertEquals(1, r.exit());
        assertContains(r.err(), "nudge preview: the templates of campaign cart-abandonment failed: "
                + "cart-abandonment/text.ftl line 3, column 3", "cart.items[0].colour",
                "the send stage would send the mail of the default templates");
        assertContains(r.out(), "template: default");
    }

    private static Decision cart(String id, DecisionKind kind, String firstName, Instant at) {
        String customer = firstName.toLowerCase();
        return new Decision(id, kind, null, customer, "cart-abandonment", "CartAbandonedAfter30Minutes", "v1", at,
                null, null, List.of("e-" + customer), Map.of("cartId", "cart-" + customer, "items", List.of(SHOE)),
                new Recipient(customer + "@example.com", firstName, "en-GB", Map.of()));
    }

    private static void write(String topic, Decision d) throws Exception {
        TestKafka.produce(BrokerExtension.bootstrap, topic, d.customerId(), Json.mapper().writeValueAsString(d));
    }

    private static void copyTemplates(Path to) throws Exception {
        for (String folder : List.of("default", "cart-abandonment")) {
            Files.createDirectories(to.resolve(folder));
            try (var files = Files.list(Paths.TEMPLATES.resolve(folder))) {
                for (Path f : files.toList()) {
                    Files.copy(f, to.resolve(folder).resolve(f.getFileName()));
                }
            }
        }
    }

    private static void assertContains(String actual, String... expected) {
        for (String e : expected) {
            assertTrue(actual.contains(e), () -> "expected \"" + e + "\" in:\n" + actual);
        }
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }
}
