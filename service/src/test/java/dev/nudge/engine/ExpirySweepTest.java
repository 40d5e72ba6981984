package dev.nudge.engine;

import dev.nudge.event.ProductViewed;
import dev.nudge.testing.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.drools.core.impl.InternalRuleBase;
import org.kie.api.KieServices;
import org.kie.api.runtime.KieContainer;

import java.lang.ref.WeakReference;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine expires events itself, at the instant Drools would have (their time plus {@code @expires}, plus Drools'
 * one millisecond), and Drools' timer queue holds no job for them: in order, out of order, deleted early, and across a
 * reload that changes a retention.
 */
class ExpirySweepTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Duration LATENESS = Duration.ofMinutes(1);
    private static final long HOUR = Duration.ofHours(1).toMillis();

    /** Rules that read every lamp view and keep views {@code keep}; {@code then} is the rule's consequence. */
    private static RuleSet rules(Path dir, String keep, String then) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("events.drl"), Files.readString(Paths.RULES.resolve("events.drl"))
                .replace("declare ProductViewed     @role(event) @timestamp(eventTime) @expires(3h)",
                        "declare ProductViewed     @role(event) @timestamp(eventTime) @expires(" + keep + ")"));
        Files.writeString(dir.resolve("views.drl"), """
                package rules;
                import dev.nudge.event.ProductViewed;
                global dev.nudge.engine.Decisions decisions;
                rule "LampViews" when
                    $v : ProductViewed( productId == "lamp" )
                then
                    %s
                end
                """.formatted(then));
        RuleCompiler.Result compiled = new RuleCompiler(Clock.systemUTC()).compile(dir);
        assertTrue(compiled.ok(), compiled.errors().toString());
        return compiled.rules();
    }

    private static ProductViewed view(String id, long at) {
        return new ProductViewed(id, "ana", Instant.ofEpochMilli(at), "lamp", "Lamp", BigDecimal.TEN, null, null);
    }

    /** Moves the watermark (event time minus the lateness) to {@code watermark}. */
    private static void watermark(PartitionEngine e, long watermark) {
        e.advanceEventTime(watermark + LATENESS.toMillis());
        assertEquals(watermark, e.watermark());
    }

    @Test
    void eachEventLeavesAtItsOwnExpiryEvenOutOfOrderAndDroolsSchedulesNothing(@TempDir Path dir) throws Exception {
        long t0 = T0.toEpochMilli();
        try (PartitionEngine e = new PartitionEngine(rules(dir, "3h", ""), LATENESS, Duration.ofHours(24))) {
            long empty = e.factCount();
            e.accept(view("v2", t0 + 30_000));
            // 30 s older than the newest, within the lateness: accepted, and due before it
            e.accept(view("v1", t0));
            assertEquals(empty + 2, e.factCount());
            assertEquals(2, e.expiriesKept());
            assertFalse(e.droolsJobsPending(), "no expiry job in Drools' timer queue");

            watermark(e, t0 + 3 * HOUR);
            assertEquals(empty + 2, e.factCount(), "kept 3h, gone only after (Drools adds 1 ms)");
            watermark(e, t0 + 3 * HOUR + 1);
            assertEquals(empty + 1, e.factCount(), "v1 expired at its own time, though it came second");
            watermark(e, t0 + 30_000 + 3 * HOUR);
            assertEquals(empty + 1, e.factCount());
            watermark(e, t0 + 30_000 + 3 * HOUR + 1);
            assertEquals(empty, e.factCount());
            assertEquals(0, e.expiriesKept());
        }
    }

    @Test
    void eventsDeletedBeforeTheirTimeDoNotPileUpInTheLanes(@TempDir Path dir) throws Exception {
        long t0 = T0.toEpochMilli();
        try (PartitionEngine e = new PartitionEngine(rules(dir, "3h", "delete( $v );"), LATENESS,
                Duration.ofHours(24))) {
            long empty = e.factCount();
            for (int i = 0; i < 10_000; i++) {
                e.accept(view("v" + i, t0 + i));
            }
            assertEquals(empty, e.factCount(), "the rule deleted every view");
            assertTrue(e.expiriesKept() <= 2_000, "deleted views still waiting to expire: " + e.expiriesKept());
        }
    }

    @Test
    void aReloadThatChangesARetentionAppliesToEventsFromThenOnWithoutDroolsJobs(@TempDir Path dir) throws Exception {
        long t0 = T0.toEpochMilli();
        RuleSet three = rules(dir.resolve("v1"), "3h", "");
        RuleSet five = rules(dir.resolve("v2"), "5h", "");
        KieContainer container = KieServices.Factory.get().newKieContainer(three.release());
        try (PartitionEngine e = new PartitionEngine(three.withKieBase(container.getKieBase()), LATENESS,
                Duration.ofHours(24))) {
            long empty = e.factCount();
            e.accept(view("before", t0));
            container.updateToVersion(five.release());
            e.rulesReloaded(five.withKieBase(container.getKieBase()));
            e.accept(view("after", t0 + 1));
            assertFalse(e.droolsJobsPending(), "the reload gave Drools its expiry back");

            watermark(e, t0 + 3 * HOUR + 1);
            assertEquals(empty + 1, e.factCount(), "the view from before the reload keeps its 3h");
            watermark(e, t0 + 1 + 5 * HOUR);
            assertEquals(empty + 1, e.factCount(), "the view from after it is kept 5h");
            watermark(e, t0 + 1 + 5 * HOUR + 1);
            assertEquals(empty, e.factCount());
        } finally {
            container.dispose();
        }
    }

    @Test
    void rulesNoLongerUsedAreLetGoOfOnceTheirEnginesClose(@TempDir Path dir) throws Exception {
        // compiling rules for a check, a backtest or a shadow run must not keep each compiled rule base for good
        WeakReference<InternalRuleBase> compiled = engineOnce(dir);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            System.gc();
            return compiled.get() == null;
        });
    }

    private static WeakReference<InternalRuleBase> engineOnce(Path dir) throws Exception {
        RuleSet rules = rules(dir, "3h", "");
        try (PartitionEngine e = new PartitionEngine(rules, LATENESS, Duration.ofHours(24))) {
            e.accept(view("v1", T0.toEpochMilli()));
        }
        // the rule base itself, which the rule network's nodes point to, not the session-aware wrapper around it
        return new WeakReference<>(((InternalRuleBase) rules.kieBase()).getRete().getRuleBase());
    }
}
