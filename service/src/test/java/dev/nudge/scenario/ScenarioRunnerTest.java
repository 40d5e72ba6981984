package dev.nudge.scenario;

import dev.nudge.engine.RuleCompiler;
import dev.nudge.engine.RuleSet;
import dev.nudge.event.Json;
import dev.nudge.testing.Paths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A mistake in a fixture is an error at its file and line, never a stack trace and never silent. */
class ScenarioRunnerTest {

    private static final String CART = """
            {"at": "00:00:00", "eventId": "c1", "type": "CartUpdated", "customerId": "ana", "cartId": "cart-ana", \
            "items": [{"productId": "lamp", "quantity": 1}]}
            {"at": "01:00:00", "eventId": "x1", "type": "PageVisited", "customerId": "zoe", "url": "/"}
            """;
    private static final String MAILED = """
            {"at": "00:30:00", "customerId": "ana", "campaign": "cart-abandonment", \
            "rule": "CartAbandonedAfter30Minutes", "eventIds": ["c1"]}
            """;
    private static RuleSet rules;

    @BeforeAll
    static void compile() throws IOException {
        rules = new RuleCompiler(Clock.systemUTC()).compile(Paths.RULES).rules();
    }

    private static List<String> run(Path dir, String events, String expected) throws IOException {
        Path s = Files.createDirectories(dir.resolve("story"));
        if (events != null) {
            Files.writeString(s.resolve("events.jsonl"), events);
        }
        if (expected != null) {
            Files.writeString(s.resolve("expected.jsonl"), expected);
        }
        return new ScenarioRunner(rules, Json.mapper()).run(s).differences();
    }

    @Test
    void aCorrectScenarioPasses(@TempDir Path dir) throws IOException {
        assertEquals(List.of(), run(dir, CART, MAILED));
    }

    @Test
    void aBadTimeIsAnErrorAtItsLine(@TempDir Path dir) throws IOException {
        assertEquals(List.of("events.jsonl line 2: time '1:00' is not of the form HH:MM:SS, Nd HH:MM:SS or "
                + "2026-03-02T09:00:00Z"), run(dir, CART.replace("01:00:00", "1:00"), MAILED));
        assertEquals(List.of("expected.jsonl line 1: time 'half past' is not of the form HH:MM:SS, Nd HH:MM:SS or "
                + "2026-03-02T09:00:00Z"), run(dir, CART, MAILED.replace("00:30:00", "half past")));
    }

    @Test
    void malformedJsonIsAnErrorAtItsLine(@TempDir Path dir) throws IOException {
        List<String> errors = run(dir, CART + "{\"at\": \"02:00:00\", oops\n", MAILED);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("events.jsonl line 3: malformed JSON: "), errors.get(0));
    }

    @Test
    void anUnknownKeyInExpectedIsAnErrorWithTheNearestKnownOne(@TempDir Path dir) throws IOException {
        List<String> errors = run(dir, CART, MAILED.replace("\"eventIds\": [\"c1\"]",
                "\"eventIds\": [\"c1\"], \"supressed\": \"staff\""));
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("expected.jsonl line 1: unknown key 'supressed'; did you mean "
                + "suppressed?"), errors.get(0));
    }

    @Test
    void aFolderWithoutEventsOrExpectedIsAnError(@TempDir Path dir) throws IOException {
        assertEquals(List.of("a scenario folder needs events.jsonl (the events, in arrival order) and expected.jsonl "
                + "(the decisions; a comment line if there are none)"), run(dir, null, MAILED));
        Files.writeString(dir.resolve("story/expect.jsonl"), MAILED);
        Files.delete(dir.resolve("story/expected.jsonl"));
        List<String> misnamed = run(dir, CART, null);
        assertTrue(misnamed.contains("expect.jsonl: not a fixture file; did you mean expected.jsonl? (a scenario "
                + "folder holds events.jsonl, expected.jsonl, settings.properties, and notes as .md)"),
                misnamed.toString());
    }

    @Test
    void aMissingFixturesFolderSaysSo(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> ScenarioRunner.scenarios(dir.resolve("fixtrues")));
        assertTrue(e.getMessage().startsWith("no fixtures folder at "), e.getMessage());
    }

    @Test
    void aScenarioFolderItselfIsTheOneScenarioToRun() throws IOException {
        Path one = Paths.FIXTURES.resolve("cart-abandoned-after-30-minutes");
        assertEquals(List.of(one), ScenarioRunner.scenarios(one));
        assertTrue(ScenarioRunner.scenarios(Paths.FIXTURES).size() > 40);
    }

    @Test
    void aDecisionWithAnotherOutcomeIsOneLine(@TempDir Path dir) throws IOException {
        assertEquals(List.of("other outcome at 00:30:00  ana  cart-abandonment (CartAbandonedAfter30Minutes)  events "
                + "[c1]: expected suppressed (staff), got sent"),
                run(dir, CART, MAILED.replace("[\"c1\"]", "[\"c1\"], \"suppressed\": \"staff\"")));
    }

    @Test
    void aRefusedEventCanBeExpectedByIdOrLineAndOtherwiseFailsTheScenario(@TempDir Path dir) throws IOException {
        String events = CART + """
                {"at": "00:05:00", "type": "PageVisited", "customerId": "bob", "url": "/", "note": "no eventId"}
                """;
        List<String> unexpected = run(dir, events, MAILED);
        assertEquals(List.of("unexpected refused (invalid)  events.jsonl line 3: missing field 'eventId'"), unexpected);
        assertEquals(List.of(), run(dir, events, MAILED + "{\"refused\": \"invalid\", \"line\": 3}\n"));
        assertEquals(List.of("other refusal refused (invalid)  events.jsonl line 3: expected clock-skew, got invalid: "
                + "missing field 'eventId'"), run(dir, events, MAILED + "{\"refused\": \"clock-skew\", \"line\": 3}\n"));
        assertEquals(List.of("missing    refused (clock-skew)  event c1: the event was used", "unexpected at 00:30:00"
                + "  ana  cart-abandonment (CartAbandonedAfter30Minutes)  events [c1]").stream().sorted().toList(),
                run(dir, CART, "{\"refused\": \"clock-skew\", \"eventId\": \"c1\"}\n").stream().sorted().toList());
    }

    @Test
    void settingsChangeWhatTheScenarioRunsWithAndAMistakeThereIsAnErrorAtItsLine(@TempDir Path dir)
            throws IOException {
        Path s = Files.createDirectories(dir.resolve("story"));
        Files.writeString(s.resolve("settings.properties"), "# no quiet hours\ndecisions.quiet-hour=none\n"
                + "engine.allowed-lateness=soon\n");
        List<String> errors = run(dir, CART, MAILED);
        assertEquals(2, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("settings.properties line 2: unknown setting 'decisions.quiet-hour'; did "
                + "you mean decisions.quiet-hours?"), errors.get(0));
        assertTrue(errors.get(1).startsWith("settings.properties line 3: setting engine.allowed-lateness must be a "
                + "duration"), errors.get(1));
        // quiet hours from 09:00 to 10:00 UTC: the mail due at 09:30 is held until 10:00
        Files.writeString(s.resolve("settings.properties"), "decisions.quiet-hours=09:00-10:00\n");
        List<String> held = run(dir, CART, MAILED);
        assertTrue(held.contains("other outcome at 00:30:00  ana  cart-abandonment (CartAbandonedAfter30Minutes)  "
                + "events [c1]: expected sent, got held (quiet-hours)"), held.toString());
    }
}
