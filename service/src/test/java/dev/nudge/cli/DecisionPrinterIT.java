package dev.nudge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.config.NudgeConfig;
import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionJson;
import dev.nudge.decision.DecisionKind;
import dev.nudge.event.Json;
import dev.nudge.kafka.TopicAdmin;
import dev.nudge.send.LedgerEntry;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.TestKafka;
import dev.nudge.testing.TestServices;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console of {@code nudge run} against a real broker: a mail the send stage's ledger says went out before this
 * run is a duplicate when the engine decides it again, and too late to void when it is revoked; a hold that ends is
 * released.
 */
@ExtendWith(BrokerExtension.class)
class DecisionPrinterIT {

    private static final ObjectMapper JSON = Json.mapper();
    private static final Instant AT = Instant.parse("2026-12-01T20:03:11Z");

    @Test
    void whatTheLedgerKnewBeforeTheRunMakesCopiesDuplicatesAndRevocationsTooLate() throws Exception {
        String bootstrap = BrokerExtension.bootstrap;
        NudgeConfig config = TestServices.config(TestServices.settings(bootstrap, 1));
        var topics = config.kafka().topics();
        TopicAdmin.ensureTopics(bootstrap, topics);
        String mailed = "aaaa1111-0000-3000-8000-000000000001";
        TestKafka.produce(bootstrap, topics.sent(), mailed, JSON.writeValueAsString(new LedgerEntry(mailed, "cust-1",
                "cart-abandonment", LedgerEntry.SENT, 1, Instant.parse("2026-12-01T18:51:31Z"), "<m1@nudge>")));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Vertx vertx = Vertx.vertx();
        try {
            vertx.deployVerticle(new DecisionPrinter(config, JSON, out)).toCompletionStage().toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);
            // the printer starts at the end of the topics: a first decision shows once it reads them
            String first = "bbbb2222-0000-3000-8000-000000000002";
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
                produce(bootstrap, topics.decisions(), decision(first, DecisionKind.MAIL, null, null, null));
                return text(bytes).contains("decision bbbb2222");
            });

            produce(bootstrap, topics.decisions(), decision(mailed, DecisionKind.MAIL, null, null, null));
            produce(bootstrap, topics.decisions(), decision(mailed, DecisionKind.VOIDED, "purchased", null, null));
            String held = "cccc3333-0000-3000-8000-000000000003";
            produce(bootstrap, topics.audit(), decision(held, DecisionKind.HELD, "quiet-hours", AT.plusSeconds(3600),
                    null));
            produce(bootstrap, topics.decisions(), decision(held, DecisionKind.MAIL, null, null, "quiet-hours"));

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<String> lines = text(bytes).lines().toList();
                assertTrue(lines.stream().anyMatch(l -> l.startsWith("DUPLICATE  cart-abandonment       cust-1 ")
                        && l.contains("decision aaaa1111") && l.endsWith("(a copy: the send stage mailed it before "
                        + "this run, at 2026-12-01T18:51:31Z; nothing more is done with it)")), String.join("\n", lines));
                assertTrue(lines.stream().anyMatch(l -> l.startsWith("TOO LATE   cart-abandonment       cust-1 ")
                        && l.endsWith("(purchased, but the mail went out before this run at 2026-12-01T18:51:31Z: "
                        + "too late to void)")), String.join("\n", lines));
                assertTrue(lines.stream().anyMatch(l -> l.startsWith("HELD ") && l.contains("decision cccc3333")),
                        String.join("\n", lines));
                assertTrue(lines.stream().anyMatch(l -> l.startsWith("RELEASED ") && l.contains("decision cccc3333")
                        && l.endsWith("(held for quiet-hours, now to be mailed)")), String.join("\n", lines));
                assertTrue(lines.stream().noneMatch(l -> l.startsWith("DECISION ") && !l.contains("bbbb2222")),
                        String.join("\n", lines));
            });
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static Decision decision(String id, DecisionKind kind, String reason, Instant heldUntil,
                                     String releasedFrom) {
        return new Decision(id, kind, reason, "cust-1", "cart-abandonment", "CartAbandonedAfter30Minutes", "v1", AT,
                heldUntil, releasedFrom, List.of("mx51ym1a-d0-1017ae12-9ff4-4b2a-ade3-641a2f1b2954"), null, null);
    }

    private static void produce(String bootstrap, String topic, Decision d) throws Exception {
        TestKafka.produce(bootstrap, topic, d.customerId(),
                JSON.writeValueAsString(new DecisionJson(JSON).tree(d)));
    }

    private static String text(ByteArrayOutputStream bytes) {
        synchronized (bytes) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
