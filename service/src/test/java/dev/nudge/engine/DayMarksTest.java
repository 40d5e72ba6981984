package dev.nudge.engine;

import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionKind;
import dev.nudge.event.ProductViewed;
import dev.nudge.testing.Paths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The marks long windows count (rules/examples/category-interest.drl: views of a category on 3 days within 7, once
 * per 14 days per category) outlive the events that made them: what the engine hands over for the customers topic
 * brings them back into a new session (a restart), where a replay marks nothing twice, and is forgotten again with a
 * tombstone when the rules forget the mark.
 */
class DayMarksTest {

    private static final Instant MONDAY = Instant.parse("2026-03-02T10:00:00Z");
    private static RuleSet rules;

    @BeforeAll
    static void compile(@TempDir Path dir) throws Exception {
        for (Path folder : List.of(Paths.RULES, Paths.RULES.resolve("examples"))) {
            try (var files = Files.list(folder)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".drl")).toList()) {
                    Files.copy(f, dir.resolve(f.getFileName()));
                }
            }
        }
        rules = new RuleCompiler(Clock.systemUTC()).compile(dir).rules();
    }

    private static PartitionEngine engine() {
        return new PartitionEngine(rules, Duration.ofMinutes(1), Duration.ofHours(24));
    }

    private static ProductViewed view(String id, int day, String category) {
        return new ProductViewed(id, "ana", MONDAY.plus(Duration.ofDays(day)), "p-" + id, "Product " + id,
                new BigDecimal("10.00"), null, null, null, category);
    }

    private static List<Decision> interest(List<Decision> decisions) {
        return decisions.stream().filter(d -> d.campaign().equals("category-interest")).toList();
    }

    @Test
    void daysMarkedBeforeARestartCountAfterItAndAReplayMarksNothingTwice() {
        List<MarkChange> kept;
        try (PartitionEngine before = engine()) {
            before.recordMarks();
            before.accept(view("v1", 0, "running"));
            before.accept(view("v2", 0, "running")); // the same day: no second mark
            before.accept(view("v3", 1, "running"));
            kept = before.drainMarks();
        }
        assertEquals(List.of("ana/day/category-viewed/running/2026-03-02", "ana/day/category-viewed/running/2026-03-03"),
                kept.stream().map(MarkChange::key).toList());

        try (PartitionEngine after = engine()) {
            kept.forEach(m -> after.restoreMark(m.mark()));
            after.recordMarks();
            // the views of Monday are gone (older than any replay); Tuesday's is replayed: its day is marked already
            after.accept(view("v3", 1, "running"));
            assertEquals(List.of(), after.drainMarks());
            List<Decision> mailed = interest(after.accept(view("v4", 2, "running")).decisions());
            assertEquals(List.of("v4"), mailed.stream().flatMap(d -> d.eventIds().stream()).toList());
            assertEquals(DecisionKind.MAIL, mailed.get(0).kind());
            // Wednesday's mark, and the mail re-eligibility counts
            assertEquals(List.of("ana/day/category-viewed/running/2026-03-04", "ana/decided/category-interest/running"),
                    after.drainMarks().stream().map(MarkChange::key).toList());
        }
    }

    @Test
    void aMailDecidedBeforeARestartStillSuppressesTheCategoryForTwoWeeksButNotItself() {
        List<MarkChange> kept;
        try (PartitionEngine before = engine()) {
            before.recordMarks();
            for (int day = 0; day < 3; day++) {
                before.accept(view("v" + day, day, "running"));
            }
            kept = before.drainMarks();
        }
        try (PartitionEngine after = engine()) {
            kept.forEach(m -> after.restoreMark(m.mark()));
            // the replay decides Wednesday's mail again: it is the same decision, not suppressed by its own mark
            List<Decision> replayed = new ArrayList<>();
            for (int day = 0; day < 3; day++) {
                replayed.addAll(interest(after.accept(view("v" + day, day, "running")).decisions()));
            }
            assertEquals(List.of(DecisionKind.MAIL), replayed.stream().map(Decision::kind).toList());
        }
        try (PartitionEngine after = engine()) {
            kept.forEach(m -> after.restoreMark(m.mark()));
            // ten days later (decisions are kept 73h): three days of running again, and of hiking
            List<Decision> later = new ArrayList<>();
            for (int day = 10; day < 13; day++) {
                later.addAll(interest(after.accept(view("r" + day, day, "running")).decisions()));
                later.addAll(interest(after.accept(view("h" + day, day, "hiking")).decisions()));
            }
            assertEquals(List.of("r12 SUPPRESSED re-eligibility", "h12 MAIL null"), later.stream()
                    .map(d -> d.eventIds().get(0) + " " + d.kind() + " " + d.reason()).toList());
        }
    }

    @Test
    void marksTheRulesForgetAreForgottenOutsideToo() {
        try (PartitionEngine e = engine()) {
            e.recordMarks();
            e.accept(view("v1", 0, "running"));
            String key = e.drainMarks().get(0).key();
            // DayMark is kept 8 days (events.drl)
            e.advanceEventTime(MONDAY.plus(Duration.ofDays(7)).toEpochMilli());
            assertEquals(List.of(), e.drainMarks());
            e.advanceEventTime(MONDAY.plus(Duration.ofDays(9)).toEpochMilli());
            List<MarkChange> forgotten = e.drainMarks();
            assertEquals(List.of(key), forgotten.stream().map(MarkChange::key).toList());
            assertNull(forgotten.get(0).mark());
            assertEquals(0, e.factCount(), "the mark left the session with it");
        }
    }

    @Test
    void aDayIsACalendarDayInTheCustomersTimeZone() {
        try (PartitionEngine e = engine()) {
            e.accept(new dev.nudge.event.CustomerProfile("p1", "ana", MONDAY, "ana@example.com", null, null,
                    "America/New_York", true, java.util.Map.of()));
            assertEquals("2026-03-02", e.dayOf("ana", Instant.parse("2026-03-03T03:00:00Z").toEpochMilli()),
                    "22:00 in New York");
            assertEquals("2026-03-03", e.dayOf("bob", Instant.parse("2026-03-03T03:00:00Z").toEpochMilli()),
                    "no profile: decisions.time-zone (UTC here)");
        }
    }

    @Test
    void engineWithoutMarksOnRecordKeepsNothingForThePipeline() {
        try (PartitionEngine e = engine()) {
            e.accept(view("v1", 0, "running"));
            assertEquals(List.of(), e.drainMarks(), "scenarios and backtests do not collect what they never write");
            assertTrue(e.factCount() > 0);
        }
    }
}
