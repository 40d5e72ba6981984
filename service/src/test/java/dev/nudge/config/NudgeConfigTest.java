package dev.nudge.config;

import dev.nudge.testing.Paths;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NudgeConfigTest {

    @Test
    void shippedFileGivesTheDocumentedDefaults() throws Exception {
        NudgeConfig c = NudgeConfig.from(Settings.load(Paths.DEPLOY.resolve("nudge.properties"), Map.of()));
        assertTrue(c.kafka().embedded(), "empty bootstrap servers means the embedded broker");
        assertEquals("nudge.events", c.kafka().topics().events());
        assertEquals("nudge.decisions", c.kafka().topics().decisions());
        assertEquals("nudge.dead-letters", c.kafka().topics().deadLetters());
        assertEquals(4, c.kafka().topics().partitions());
        assertEquals(Duration.ofMinutes(1), c.engine().allowedLateness());
        assertEquals(Duration.ofHours(24), c.engine().dedupWindow());
        assertEquals(Duration.ofMinutes(5), c.engine().maxClockSkew());
        assertEquals(Duration.ofHours(74), c.engine().replayHorizon());
        assertEquals(8080, c.http().port());
        assertEquals(120.0, c.demo().speed());
        assertEquals("Nudge demo shop", c.send().shopName());
        assertEquals(null, c.send().unsubscribeSecret(), "nudge run keeps one of its own with the broker's data");
    }

    @Test
    void environmentOverridesTheFile() throws Exception {
        NudgeConfig c = NudgeConfig.from(Settings.load(Paths.DEPLOY.resolve("nudge.properties"), Map.of(
                "NUDGE_KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9092",
                "NUDGE_KAFKA_TOPIC_DEAD_LETTERS", "shop.dlq",
                "NUDGE_ENGINE_ALLOWED_LATENESS", "PT5M",
                "NUDGE_SEND_SHOP_NAME", "Ana's Goods",
                "HOME", "/root")));
        assertEquals("Ana's Goods", c.send().shopName());
        assertEquals("kafka-1:9092", c.kafka().bootstrapServers());
        assertEquals("shop.dlq", c.kafka().topics().deadLetters());
        assertEquals(Duration.ofMinutes(5), c.engine().allowedLateness());
    }

    @Test
    void holdoutsHaveADefaultAndPerCampaignPercentages() {
        NudgeConfig c = NudgeConfig.from(Settings.of(Map.of(
                "decisions.holdout-percent", "100",
                "decisions.holdout-percent.browse-abandonment", "0")));
        assertTrue(c.engine().holdouts().heldOut("cart-abandonment", "ana"));
        assertTrue(!c.engine().holdouts().heldOut("browse-abandonment", "ana"));
        var e = assertThrows(IllegalArgumentException.class,
                () -> NudgeConfig.from(Settings.of(Map.of("decisions.holdout-percent", "120"))));
        assertTrue(e.getMessage().contains("decisions.holdout-percent"), e.getMessage());
    }

    @Test
    void missingFileMeansDefaults() throws Exception {
        NudgeConfig c = NudgeConfig.from(Settings.load(Path.of("no-such-file.properties"), Map.of()));
        assertNull(c.kafka().bootstrapServers());
        assertEquals(Path.of("rules"), c.engine().rulesDir());
    }

    @Test
    void badValuesNameTheKey() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> NudgeConfig.from(Settings.of(Map.of("engine.allowed-lateness", "soon"))));
        assertTrue(e.getMessage().contains("engine.allowed-lateness"), e.getMessage());
        assertEquals(Duration.ofMillis(500), Settings.parseDuration("500ms"));
        assertEquals(Duration.ofHours(2), Settings.parseDuration("2h"));
    }

    @Test
    void quietHoursAndSourceWatchComeFromTheFileAndTheEnvironment() throws Exception {
        NudgeConfig shipped = NudgeConfig.from(Settings.load(Paths.DEPLOY.resolve("nudge.properties"), Map.of()));
        assertEquals("21:00-08:00 UTC", shipped.engine().quietHours().toString());
        assertEquals(Map.of("CheckoutCompleted", Duration.ofHours(1)), shipped.engine().sourceMaxLag());

        NudgeConfig env = NudgeConfig.from(Settings.load(Paths.DEPLOY.resolve("nudge.properties"), Map.of(
                "NUDGE_DECISIONS_QUIET_HOURS", "22:00-07:00", "NUDGE_DECISIONS_TIME_ZONE", "Europe/Berlin",
                "NUDGE_ENGINE_SOURCE_MAX_LAG_CHECKOUTCOMPLETED", "0",
                "NUDGE_ENGINE_SOURCE_MAX_LAG_PAGEVISITED", "10m")));
        assertEquals("22:00-07:00 Europe/Berlin", env.engine().quietHours().toString());
        assertEquals("none", NudgeConfig.from(Settings.of(Map.of("decisions.quiet-hours", "none")))
                .engine().quietHours().toString());
        assertEquals(Map.of("PageVisited", Duration.ofMinutes(10)), env.engine().sourceMaxLag());

        var e = assertThrows(IllegalArgumentException.class, () -> NudgeConfig.from(Settings.of(Map.of(
                "engine.source-max-lag.Checkouts", "1h"))));
        assertTrue(e.getMessage().contains("not an event type"), e.getMessage());
    }

    @Test
    void theSendStageRunsOnTheEmbeddedServerUnlessARelayIsConfiguredAndItsSecretsStayOutOfLogs() throws Exception {
        NudgeConfig shipped = NudgeConfig.from(Settings.load(Paths.DEPLOY.resolve("nudge.properties"), Map.of()));
        var send = shipped.send();
        assertTrue(send.enabled());
        assertTrue(send.smtp().embedded(), "no relay in the shipped file: the demo's own SMTP server");
        assertEquals(600, send.ratePerMinute());
        assertEquals(Duration.ofHours(24), send.giveUpAfter());
        assertEquals("nudge.sent", shipped.kafka().topics().sent());

        NudgeConfig relay = NudgeConfig.from(Settings.load(Paths.DEPLOY.resolve("nudge.properties"), Map.of(
                "NUDGE_SEND_SMTP_HOST", "smtp.example.net", "NUDGE_SEND_SMTP_PASSWORD", "hunter2-password",
                "NUDGE_SEND_UNSUBSCRIBE_SECRET", "a-long-enough-secret", "NUDGE_SEND_SMTP_STARTTLS", "required")));
        assertEquals("smtp.example.net", relay.send().smtp().host());
        assertEquals("REQUIRED", relay.send().smtp().startTls());
        assertTrue(!relay.send().toString().contains("hunter2") && !relay.send().toString().contains("a-long-enough"),
                relay.send().toString());
    }

    @Test
    void aSendSettingThatCannotWorkNamesTheKey() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> NudgeConfig.from(Settings.of(Map.of("send.smtp.starttls", "sometimes"))));
        assertTrue(e.getMessage().contains("send.smtp.starttls"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> NudgeConfig.from(Settings.of(Map.of("send.rate-per-minute", "0"))));
        assertTrue(e.getMessage().contains("send.rate-per-minute"), e.getMessage());
    }

    @Test
    void writeKeysComeWithASourceAndTheTypesTheyMaySend() {
        NudgeConfig c = NudgeConfig.from(Settings.of(Map.of(
                "ingest.keys.web", "a-secret-of-the-web-key", "ingest.keys.web.source", "storefront",
                "ingest.keys.backend", "a-secret-of-the-back-end", "ingest.keys.backend.types", "*",
                "ingest.keys.crm", "a-secret-of-the-crm-key", "ingest.keys.crm.types", "CustomerProfile, Unsubscribed")));
        var keys = c.ingest().keys();
        assertEquals(3, keys.size());
        var web = keys.stream().filter(k -> k.name().equals("web")).findFirst().orElseThrow();
        assertEquals("storefront", web.source());
        assertTrue(web.allows("CartUpdated"));
        assertFalse(web.allows("CustomerProfile"), "a key says so before it may change who a customer is");
        assertFalse(web.toString().contains("secret"), "never in a log line: " + web);
        var crm = keys.stream().filter(k -> k.name().equals("crm")).findFirst().orElseThrow();
        assertEquals("crm", crm.source(), "the name, when no source is given");
        assertTrue(crm.allows("Unsubscribed") && !crm.allows("CartUpdated"));
        assertTrue(keys.stream().filter(k -> k.name().equals("backend")).findFirst().orElseThrow().allows("EmailSent"));
        assertFalse(NudgeConfig.from(Settings.of(Map.of())).ingest().open(), "no key: POST /events is closed");
    }

    @Test
    void aWriteKeyMistakeIsAnErrorThatNamesTheSetting() {
        assertEquals("setting ingest.keys.web: a write key must be at least 16 characters, to be hard to guess",
                assertThrows(IllegalArgumentException.class, () -> NudgeConfig.from(Settings.of(Map.of(
                        "ingest.keys.web", "short")))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NudgeConfig.from(Settings.of(Map.of(
                "ingest.keys.web", "a-secret-of-the-web-key", "ingest.keys.web.types", "CartUpdate"))))
                .getMessage().startsWith("setting ingest.keys.web.types: 'CartUpdate' is not an event type"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NudgeConfig.from(Settings.of(Map.of(
                "ingest.keys.web.types", "*")))).getMessage().contains("has no secret"));
    }

    @Test
    void anInstanceIdMakesEachConsumerAStaticMemberOfItsOwnName() {
        NudgeConfig plain = NudgeConfig.from(Settings.of(Map.of()));
        assertFalse(plain.kafka().consumerOverrides("engine-1").containsKey("group.instance.id"),
                "dynamic members by default: two processes on one host must not fence each other");
        NudgeConfig named = NudgeConfig.from(Settings.of(Map.of("kafka.consumer.instance-id", "pod-7",
                "kafka.consumer.client.fetch.min.bytes", "2")));
        assertEquals("pod-7-engine-2", named.kafka().consumerOverrides("engine-2").get("group.instance.id"));
        assertEquals("pod-7-send", named.kafka().consumerOverrides("send").get("group.instance.id"));
        assertEquals("2", named.kafka().consumerOverrides("send").get("fetch.min.bytes"));
    }

    @Test
    void consumersGiveUpOnASilentMemberAfterTenSecondsNotFortyFive() {
        var p = dev.nudge.kafka.KafkaProps.consumer("localhost:9092", "g", Map.of());
        assertEquals("10000", p.get("session.timeout.ms"));
        assertEquals("2000", p.get("heartbeat.interval.ms"));
        assertEquals("30000", dev.nudge.kafka.KafkaProps.consumer("localhost:9092", "g",
                Map.of("session.timeout.ms", "30000")).get("session.timeout.ms"), "an operator's setting wins");
    }

    @Test
    void aBrowserKeyNamesItsPagesByOriginAndNothingElse() {
        NudgeConfig c = NudgeConfig.from(Settings.of(Map.of("ingest.keys.shop", "shop-browser-key-0123456789",
                "ingest.keys.shop.origins", "https://shop.example, http://localhost:8080")));
        var key = c.ingest().keys().get(0);
        assertTrue(key.allowsOrigin("https://shop.example"));
        assertTrue(key.allowsOrigin("http://localhost:8080"));
        assertFalse(key.allowsOrigin("https://evil.example"));
        assertFalse(key.toString().contains("0123456789"), "the secret is never printed: " + key);
        var e = assertThrows(IllegalArgumentException.class, () -> NudgeConfig.from(Settings.of(Map.of(
                "ingest.keys.shop", "shop-browser-key-0123456789", "ingest.keys.shop.origins",
                "https://shop.example/cart"))));
        assertTrue(e.getMessage().contains("is not an origin such as https://shop.example"), e.getMessage());
    }

    @Test
    void aCampaignsExperimentVariantsAreSplitByAStableHash() {
        var holdouts = NudgeConfig.from(Settings.of(java.util.Map.of("decisions.variants.cart-abandonment", "30m, 2h")))
                .engine().holdouts();
        assertNull(holdouts.variant("browse-abandonment", "ana"), "a campaign without an experiment");
        String ana = holdouts.variant("cart-abandonment", "ana");
        assertTrue(java.util.List.of("30m", "2h").contains(ana));
        assertEquals(ana, holdouts.variant("cart-abandonment", "ana"), "stable");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NudgeConfig.from(Settings.of(java.util.Map.of("decisions.variants.cart-abandonment", "30m"))));
        assertTrue(e.getMessage().contains("two or more"), e.getMessage());
    }
}
