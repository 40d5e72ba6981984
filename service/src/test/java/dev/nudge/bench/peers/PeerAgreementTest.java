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
        System.out.println(due.size() + " due, " + expected.size() + " sent");
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

    @Test
    void nudge() throws Exception {
        RuleCompiler.Result compiled = new RuleCompiler(Clock.systemUTC()).compile(Path.of("../rules"));
        assertTrue(compiled.ok(), () -> "rules: " + compiled.errors());
        RuleSet rules = compiled.rules();
        try (NudgePeer nudge = new NudgePeer(rules, Duration.ofMinutes(1), DEDUP, stream.events())) {
            List<Mail> got = run(nudge);
            Set<Mail> e = new HashSet<>(expected);
            Set<Mail> g = new HashSet<>(got);
            Set<Mail> missing = new HashSet<>(e);
            missing.removeAll(g);
            Set<Mail> extra = new HashSet<>(g);
            extra.removeAll(e);
            System.out.println("nudge " + got.size() + " oracle " + expected.size() + " missing " + missing.size() + " extra " + extra.size());
            missing.stream().sorted().limit(5).forEach(m -> System.out.println("  missing " + m));
            extra.stream().sorted().limit(5).forEach(m -> System.out.println("  extra " + m));
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
