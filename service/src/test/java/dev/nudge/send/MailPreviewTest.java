package dev.nudge.send;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.config.NudgeConfig;
import dev.nudge.config.SendConfig;
import dev.nudge.config.Settings;
import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionJson;
import dev.nudge.event.Json;
import dev.nudge.testing.Paths;
import io.vertx.ext.mail.MailMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A preview is the mail the send stage sends for the same stored decision, and says where a template went wrong. */
class MailPreviewTest {

    private static final String SECRET = "preview-test-secret-0123456789";
    private static final ObjectMapper JSON = Json.mapper();
    // a decision as the engine writes it to the decisions topic
    private static final String STORED = """
            {"decisionId":"7f3c2a10-0000-4000-8000-000000000001","kind":"mail","customerId":"ana|42",\
            "campaign":"cart-abandonment","rule":"CartAbandonedAfter30Minutes","rulesVersion":"v3",\
            "decidedAt":"2026-11-30T10:30:00Z","eventIds":["e1","e2"],\
            "payload":{"cartId":"cart 7","items":[{"productId":"shoe-42","name":"Trail shoe","price":89.90,\
            "quantity":1,"url":"https://shop.example/p/shoe-42","imageUrl":"https://cdn.shop.example/shoe-42.jpg"},\
            {"productId":"socks-3","name":"Wool socks","price":"12.50","quantity":2,"currency":"EUR"}]},\
            "recipient":{"email":"ana@example.com","firstName":"Ana","locale":"de-DE","attributes":{}}}""";

    @Test
    void thePreviewOfAStoredDecisionIsTheMailTheSendStageSends() throws Exception {
        SendConfig config = config(Map.of("send.unsubscribe-secret", SECRET));
        Decision d = new DecisionJson(JSON).read(STORED.getBytes(StandardCharsets.UTF_8));
        MailComposer sendStage = new MailComposer(new MailTemplates(config.templatesDir(), config.shop()),
                new UnsubscribeTokens(SECRET), config.from(), config.shopUrl(), "https://nudge.example");
        MailMessage sent = sendStage.compose(d);

        MailPreview.Preview p = new MailPreview(config, null, "https://nudge.example").render(d, true);

        assertEquals(sent.getSubject(), p.subject());
        assertEquals(sent.getText(), p.text());
        assertEquals(sent.getHtml(), p.html());
        assertEquals(sent.getFrom(), p.from());
        assertEquals("ana@example.com", p.to());
        assertEquals("cart-abandonment", p.template());
        assertEquals("Ana, your cart is waiting for you", p.subject());
        assertTrue(p.text().contains("Trail shoe") && p.text().contains("89,90"), p.text());
        // signed with the configured secret: the link is the one the customer gets
        assertTrue(new UnsubscribeTokens(SECRET).verify(token(p.unsubscribeUrl())).isPresent(), p.unsubscribeUrl());
        assertFalse(MailPreview.isPreviewToken(p.unsubscribeUrl()));
    }

    @Test
    void withoutASecretTheUnsubscribeLinkIsAPreviewTokenThatUnsubscribesNobody() throws Exception {
        Decision d = new DecisionJson(JSON).read(STORED.getBytes(StandardCharsets.UTF_8));

        MailPreview.Preview p = new MailPreview(config(Map.of()), null, "https://nudge.example").render(d, true);

        assertTrue(MailPreview.isPreviewToken(p.unsubscribeUrl()), p.unsubscribeUrl());
        assertTrue(p.text().contains(p.unsubscribeUrl()), p.text());
        assertTrue(new UnsubscribeTokens(SECRET).verify(token(p.unsubscribeUrl())).isEmpty());
    }

    @Test
    void aBrokenCampaignTemplateIsReportedWithItsFileAndLineWhereTheSendStageFallsBack(@TempDir Path dir)
            throws Exception {
        copy(Paths.TEMPLATES.resolve("default"), dir.resolve("default"));
        copy(Paths.TEMPLATES.resolve("cart-abandonment"), dir.resolve("cart-abandonment"));
        Files.writeString(dir.resolve("cart-abandonment/text.ftl"), "Hello\n\n${cart.nothingHere}\n");
        Decision d = new DecisionJson(JSON).read(STORED.getBytes(StandardCharsets.UTF_8));
        MailPreview preview = new MailPreview(config(Map.of()), dir, "https://nudge.example");

        MailRenderException e = assertThrows(MailRenderException.class, () -> preview.render(d, true));
        assertTrue(e.getMessage().contains("cart-abandonment/text.ftl line 3, column 3"), e.getMessage());
        assertTrue(e.getMessage().contains("cart.nothingHere"), e.getMessage());
        assertEquals("default", preview.render(d, false).template(), "what the send stage would send");

        Files.writeString(dir.resolve("cart-abandonment/text.ftl"), "Hello\n<#if cart??>never closed\n");
        // a new preview, as each nudge preview is: the last one keeps its templates for a couple of seconds
        MailPreview again = new MailPreview(config(Map.of()), dir, "https://nudge.example");
        MailRenderException syntax = assertThrows(MailRenderException.class, () -> again.render(d, true));
        assertTrue(syntax.getMessage().contains("cart-abandonment/text.ftl"), syntax.getMessage());
        assertTrue(syntax.getMessage().contains("line 2"), syntax.getMessage());
    }

    private static SendConfig config(Map<String, String> extra) {
        Map<String, String> values = new java.util.HashMap<>(extra);
        values.put("send.templates-dir", Paths.TEMPLATES.toString());
        return NudgeConfig.from(Settings.of(values)).send();
    }

    private static String token(String url) {
        return java.net.URLDecoder.decode(url.substring(url.indexOf("token=") + 6), StandardCharsets.UTF_8);
    }

    private static void copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }
}
