package dev.nudge.bench;

import dev.nudge.config.NudgeConfig;
import dev.nudge.config.Settings;
import dev.nudge.kafka.EmbeddedKafka;
import dev.nudge.testing.Paths;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The send benchmark's own accounting on a tiny workload, against a broker of its own: what it writes, what it counts
 * as sent and as duplicates, and what each SMTP server received, agree; no timing is checked.
 */
class SendBenchmarkIT {

    private static final int MAILS = 400;
    private static Path dir;
    private static EmbeddedKafka broker;
    private static SendPass pass;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("nudge-send-bench-it");
        broker = EmbeddedKafka.start(dir, 0);
        pass = new SendPass(broker.bootstrapServers(), Paths.TEMPLATES, 2);
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void aLoadedBacklogIsMailedOnceEachIntoGreenMailAndCopiesAreCountedAsDuplicates() throws Exception {
        // 5% copies, so a few hundred decisions surely have some
        SendResult r = pass.drain("it-greenmail", new SendWorkload(MAILS, 50, 0.05, 7), 4, SendPass.Relay.GREENMAIL);

        assertEquals(MAILS, r.load().unique());
        assertTrue(r.load().duplicates() > 0, "the workload has copies: " + r.load());
        assertEquals(r.load().unique() + r.load().duplicates(), r.load().records(), "every record is one or the other");
        assertEquals(MAILS, r.load().byCampaign().values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(MAILS, r.mails().received(), "one mail per decision: " + r);
        assertEquals(MAILS, r.mails().distinct());
        assertEquals(0, r.mails().withoutId());
        assertEquals(MAILS, r.outcome("sent"));
        assertEquals(r.load().duplicates(), r.outcome("duplicate"));
        assertFalse(r.stalled());
        assertTrue(r.correct(), r.toString());
        assertTrue(r.p50() > 0 && r.p50() <= r.p99() && r.p99() < 60, "delivery quantiles read: " + r);
        assertTrue(r.firstMail() > 0 && r.firstMail() <= r.halfMails() && r.halfMails() <= r.seconds(), r.toString());
        assertTrue(r.cpu().keySet().stream().anyMatch(g -> g.startsWith(SendRun.STAGE_GROUP)), r.cpu().toString());
        assertTrue(r.cpu().containsKey("SMTP server: GreenMail (parses, stores)"), r.cpu().toString());
    }

    @Test
    void theNullSinkCountsTheSameMails() throws Exception {
        SendResult r = pass.drain("it-sink", new SendWorkload(MAILS, 50, 0.05, 7), 4, SendPass.Relay.SINK);

        assertEquals(MAILS, r.mails().received(), r.toString());
        assertEquals(MAILS, r.mails().distinct());
        assertEquals(0, r.mails().withoutId());
        assertTrue(r.correct(), r.toString());
        assertTrue(r.cpu().containsKey("SMTP server: null sink"), r.cpu().toString());
    }

    @Test
    void theNullWebhookGetsOneCallPerDecision() throws Exception {
        SendResult r = pass.drain("it-webhook", new SendWorkload(MAILS, 50, 0.05, 7), 4, SendPass.Relay.WEBHOOK);

        assertEquals(MAILS, r.mails().received(), r.toString());
        assertEquals(MAILS, r.mails().distinct());
        assertEquals(0, r.mails().withoutId(), "every call has its Idempotency-Key");
        assertEquals(r.load().duplicates(), r.outcome("duplicate"));
        assertTrue(r.correct(), r.toString());
        assertTrue(r.cpu().containsKey("webhook endpoint: null sink (JDK HTTP server)"), r.cpu().toString());
    }

    @Test
    void offeredDecisionsCountOnlyTheCopiesWritten() throws Exception {
        // stopped after a second: copies planned for later positions were never written, so they are not expected
        SendResult r = pass.offer("it-offered", new SendWorkload(MAILS, 50, 0.05, 8), 4, SendPass.Relay.GREENMAIL,
                100, Duration.ofSeconds(1));

        assertTrue(r.load().unique() < MAILS && r.load().unique() >= 50, "about a second's worth: " + r.load());
        assertEquals(r.load().unique() + r.load().duplicates(), r.load().records());
        assertEquals(r.load().unique(), r.mails().received());
        assertTrue(r.correct(), r.toString());
        assertTrue(r.p50() > 0 && r.p99() >= r.p50(), "delivery times were recorded: " + r);
    }

    @Test
    void theStageReportsEveryPassAndPassesOnATinyRun() throws Exception {
        BenchOptions options = new BenchOptions(1_000, 50, Duration.ofHours(1), 2, 9, 0.02, 0, Paths.RULES,
                NudgeConfig.from(Settings.of(Map.of())).engine().settings(), 0, 0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean ok = new SendBenchmark(Paths.TEMPLATES, 200, 100, List.of(2), 50, Duration.ofSeconds(1))
                .run(options, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertTrue(ok, out);
        assertTrue(out.contains("embedded GreenMail") && out.contains("null SMTP sink") && out.contains("null webhook"),
                out);
        assertTrue(out.contains("delivery time at 50 decisions/s"), out);
        assertEquals(4, out.lines().filter(l -> l.startsWith("checks,") && l.endsWith(": ok")).count(), out);
    }
}
