package dev.nudge.config;

import dev.nudge.testing.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The webhook settings: endpoints, which campaigns go where, secrets from the environment, and what is refused. */
class WebhookConfigTest {

    private static final Map<String, String> ENV = Map.of("BRAZE_API_KEY", "key-123");

    private static WebhookConfig parse(Map<String, String> settings) {
        return WebhookConfig.from(Settings.of(settings), ENV::get);
    }

    private static Map<String, String> braze() {
        Map<String, String> s = new HashMap<>();
        s.put("send.webhooks.braze.url", "https://rest.iad-01.braze.com/campaigns/trigger/send");
        s.put("send.webhooks.braze.secret", "whsec-0123456789abcdef");
        s.put("send.webhooks.braze.header.Authorization", "Bearer ${BRAZE_API_KEY}");
        s.put("send.campaigns.cart-abandonment.channel", "webhook");
        s.put("send.campaigns.cart-abandonment.webhook", "braze");
        s.put("send.campaigns.browse-abandonment.channel", "smtp");
        return s;
    }

    @Test
    void aCampaignGoesToItsWebhookAndTheOthersToSmtp() {
        WebhookConfig c = parse(braze());
        WebhookConfig.Endpoint e = c.endpointOf("cart-abandonment");
        assertEquals(URI.create("https://rest.iad-01.braze.com/campaigns/trigger/send"), e.url());
        assertEquals("Bearer key-123", e.headers().get("authorization"), "the variable from the environment");
        assertEquals(WebhookConfig.DEFAULT_TIMEOUT, e.timeout());
        assertNull(e.template());
        assertNull(c.endpointOf("browse-abandonment"));
        assertNull(c.endpointOf("checkout-abandonment"));
        assertTrue(!e.toString().contains("key-123") && !e.toString().contains("whsec"), "no secret in a log line");
    }

    @Test
    void theOnlyWebhookIsTheDefaultOfAWebhookCampaign() {
        Map<String, String> s = braze();
        s.remove("send.campaigns.cart-abandonment.webhook");
        assertEquals("braze", parse(s).endpointOf("cart-abandonment").name());
    }

    @Test
    void theSecretComesFromTheEnvironment() throws Exception {
        Map<String, String> s = braze();
        s.remove("send.webhooks.braze.secret");
        WebhookConfig c = NudgeConfig.from(Settings.load(null, Map.of("NUDGE_SEND_WEBHOOKS_BRAZE_SECRET",
                "from-the-environment-0123", "NUDGE_SEND_WEBHOOKS_BRAZE_URL", "https://esp.example/hook",
                "NUDGE_SEND_WEBHOOKS_BRAZE_TIMEOUT", "3s"))).send().webhooks();
        assertEquals("from-the-environment-0123", c.endpoints().get("braze").secret());
        assertEquals(Duration.ofSeconds(3), c.endpoints().get("braze").timeout());
    }

    @Test
    void theShippedFileSendsEverythingBySmtpAndItsBrazeExampleWorksOnceUncommented(@TempDir Path dir) throws Exception {
        Path shipped = Paths.DEPLOY.resolve("nudge.properties");
        assertTrue(WebhookConfig.from(Settings.load(shipped, Map.of()), ENV::get).endpoints().isEmpty());

        List<String> lines = Files.readAllLines(shipped).stream()
                .map(l -> l.startsWith("# send.webhooks.braze.") || l.startsWith("# send.campaigns.") ? l.substring(2) : l)
                .toList();
        Path edited = Files.write(dir.resolve("nudge.properties"), lines);
        WebhookConfig c = WebhookConfig.from(Settings.load(edited, Map.of()), ENV::get);
        WebhookConfig.Endpoint braze = c.endpointOf("cart-abandonment");
        assertEquals("braze", braze.name());
        assertEquals("Bearer key-123", braze.headers().get("Authorization"));
        assertTrue(Files.isRegularFile(Paths.HOME.resolve(braze.template())), "the template is shipped: " + braze.template());
    }

    @Test
    void mistakesAreRefusedSayingWhich() {
        assertRefused("send.campaigns.cart-abandonment.webhook", "klaviyo", "must name a webhook of send.webhooks");
        assertRefused("send.campaigns.cart-abandonment.channel", "sms", "must be smtp or webhook");
        assertRefused("send.webhooks.braze.url", "ftp://esp.example", "must be an http(s) URL");
        assertRefused("send.webhooks.braze.secret", "short", "at least 16 characters");
        assertRefused("send.webhooks.braze.header.Authorization", "Bearer ${NOT_SET}", "NOT_SET, which is not set");
        assertRefused("send.webhooks.braze.retries", "3", "unknown");
        assertRefused("send.webhooks.Braze-EU.url", "https://esp.example", "lower-case letters and digits");
        assertRefused("send.webhooks.other.secret", "0123456789abcdef0", "has settings but no send.webhooks.other.url");
        Map<String, String> s = braze();
        s.put("send.campaigns.cart-abandonment.channel", "smtp");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(s));
        assertTrue(e.getMessage().contains("channel is not webhook"), e.getMessage());
    }

    private static void assertRefused(String key, String value, String says) {
        Map<String, String> s = braze();
        s.put(key, value);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(s));
        assertTrue(e.getMessage().contains(says), e.getMessage());
    }
}
