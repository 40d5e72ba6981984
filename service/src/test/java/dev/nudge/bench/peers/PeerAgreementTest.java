package dev.nudge.bench.peers;

import dev.nudge.engine.RuleCompiler;
import dev.nudge.engine.RuleSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine benchmark's peers decide exactly the oracle's mails on a small stream, and Nudge's engine agrees where its guards let it. */
class PeerAgreementTest {

    private static final long DEDUP = Duration.ofHours(24).toMillis();
    private static PeerStream stream;
    private static List<Mail> expected;

    @BeforeAll
    static void stream() {
        // a day of 3,000 customers: many come back within 16 hours, so the cap has work to do
        stream = PeerStream.generate(7, 3_000, 30_000, Duration.ofDays(1), 0.01);
        expected = TriggerOracle.mails(stream.events(), DEDUP);
    }

    @Test
    void theStreamExercisesEveryTriggerAndTheCap() {
        List<Mail> due = TriggerOracle.due(stream.events(), DEDUP);
        assertTrue(expected.stream().filter(m -> m.campaign().equals(Mail.CART)).count() > 50, "cart mails");
        assertTrue(expected.stream().filter(m -> m.campaign().equals(Mail.BROWSE)).count() > 10, "browse mails");
        assertTrue(due.size() > expected.size() + 10, "the cap suppresses some mails");
    }

    @Test
    void esperDecidesTheOraclesMails() {
        try (EsperPeer esper = new EsperPeer(stream.start(), DEDUP)) {
            assertSame(expected, run(esper));
        }
    }

    @Test
    void plainDroolsDecidesTheOraclesMails() {
        try (DroolsPeer drools = new DroolsPeer(stream.start(), DEDUP)) {
            assertSame(expected, run(drools));
        }
    }

    /**
     * Nudge's engine has guards the peers do not (consent, staff, re-eligibility, other triggers and other senders'
     * mails that take the cap), so it cannot equal the oracle. What it must do: account for every oracle mail it does
     * not send with a guard's suppression of that very mail, and send nothing about a cart or product the oracle's
     * triggers never made due. (Its browse rule can also fire again for the same view when an earlier view expires;
     * such a mail is about something due, at another time: see docs/benchmark.md.)
     */
    @Test
    void nudgeMailsOnlyWhatTheTriggersMakeDueAndItsGuardsExplainEveryMissingMail() throws Exception {
        RuleCompiler.Result compiled = new RuleCompiler(Clock.systemUTC()).compile(Path.of("../rules"));
        assertTrue(compiled.ok(), () -> "rules: " + compiled.errors());
        RuleSet rules = compiled.rules();
        try (NudgePeer nudge = new NudgePeer(rules, Duration.ofMinutes(1), DEDUP, stream.events())) {
            stream.events().forEach(nudge::accept);
            NudgePeer.Decided decided = nudge.decided(stream.end());
            List<Mail> due = TriggerOracle.due(stream.events(), DEDUP);
            Agreement a = Agreement.explained(expected, due, decided);
            assertTrue(a.missing().size() > 0, "the shipped guards suppress some of the oracle's mails");
            a.reasons().keySet().forEach(why -> assertTrue(why.startsWith("missing: suppressed by Nudge: ")
                    || why.startsWith("extra: due in the oracle"), () -> "unexplained: " + a.reasons()));
        }
    }

    private static List<Mail> run(PeerEngine engine) {
        for (var e : stream.events()) {
            engine.accept(e);
        }
        return engine.finish(stream.end());
    }

    private static void assertSame(List<Mail> expected, List<Mail> got) {
        Set<Mail> e = new HashSet<>(expected);
        Set<Mail> g = new HashSet<>(got);
        Set<Mail> missing = new HashSet<>(e);
        missing.removeAll(g);
        Set<Mail> extra = new HashSet<>(g);
        extra.removeAll(e);
        assertEquals(expected.size(), got.size(), "mail count; missing " + missing.stream().sorted().limit(5).toList()
                + ", extra " + extra.stream().sorted().limit(5).toList());
        assertTrue(missing.isEmpty() && extra.isEmpty(), "missing " + missing.stream().sorted().limit(5).toList()
                + ", extra " + extra.stream().sorted().limit(5).toList());
    }
}
