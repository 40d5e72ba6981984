package dev.nudge.decision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import dev.nudge.engine.RuleCompiler;
import dev.nudge.event.Json;
import dev.nudge.scenario.Scenario;
import dev.nudge.scenario.ScenarioRunner;
import dev.nudge.testing.Paths;
import dev.nudge.testing.Schemas;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code decision.schema.json} describes what the engine really writes: every decision the shipped rules make on every
 * scenario of {@code fixtures/}, written as the pipeline writes it, of every kind, passes it and reads back the same.
 */
class DecisionSchemaTest {

    private static final ObjectMapper JSON = Json.mapper();
    private static JsonSchema schema;

    @BeforeAll
    static void loadSchema() {
        schema = Schemas.load("decision");
    }

    @Test
    void everyDecisionTheEngineMakesOnTheScenariosMatchesTheSchema() throws IOException {
        ScenarioRunner runner = new ScenarioRunner(new RuleCompiler(Clock.systemUTC()).compile(Paths.RULES).rules(),
                JSON);
        DecisionJson reader = new DecisionJson(JSON);
        Set<DecisionKind> seen = EnumSet.noneOf(DecisionKind.class);
        List<String> problems = new ArrayList<>();
        int checked = 0;
        Set<String> moreSaid = new java.util.TreeSet<>();
        for (Path folder : ScenarioRunner.scenarios(Paths.FIXTURES)) {
            for (Decision d : runner.decisions(Scenario.load(folder, JSON))) {
                JsonNode written = JSON.readTree(JSON.writeValueAsBytes(d));
                Set<ValidationMessage> errors = schema.validate(written);
                if (!errors.isEmpty()) {
                    problems.add(folder.getFileName() + ": " + written + "\n  " + errors);
                }
                Decision read = reader.read(written);
                assertEquals(d.kind(), read.kind());
                assertEquals(d.reason(), read.reason());
                assertEquals(d.earlierMail(), read.earlierMail());
                if (d.earlierMail() != null) {
                    moreSaid.add(d.reason() + (d.earlierMail().decisionId() != null ? " after a decision"
                            : " after another sender's mail"));
                }
                seen.add(d.kind());
                checked++;
            }
        }
        assertEquals(List.of(), problems);
        assertEquals(EnumSet.allOf(DecisionKind.class), seen, "the scenarios make every kind of decision");
        assertTrue(checked > 50, "decisions checked: " + checked);
        assertEquals(Set.of("frequency-cap after a decision", "frequency-cap after another sender's mail",
                "re-eligibility after a decision"), moreSaid, "the guards name the earlier mail they counted");
    }

    @Test
    void aRecordThatBreaksTheContractIsRefusedByTheSchemaAndTheReader() throws IOException {
        for (String bad : List.of(
                // a suppression without its reason
                "{'decisionId':'d','kind':'suppressed','customerId':'c','campaign':'x','rule':'R','rulesVersion':'v',"
                        + "'decidedAt':'2026-03-02T10:00:00Z','eventIds':[],'payload':{}}",
                // a mail with a reason
                "{'decisionId':'d','kind':'mail','reason':'why','customerId':'c','campaign':'x','rule':'R',"
                        + "'rulesVersion':'v','decidedAt':'2026-03-02T10:00:00Z','eventIds':[],'payload':{}}",
                // a mail naming an earlier mail, which only a suppression does
                "{'decisionId':'d','kind':'mail','customerId':'c','campaign':'x','rule':'R','rulesVersion':'v',"
                        + "'decidedAt':'2026-03-02T10:00:00Z','eventIds':[],'payload':{},"
                        + "'earlierMail':{'decisionId':'e','at':'2026-03-02T09:00:00Z'}}",
                // a hold without its end
                "{'decisionId':'d','kind':'held','reason':'quiet-hours','customerId':'c','campaign':'x','rule':'R',"
                        + "'rulesVersion':'v','decidedAt':'2026-03-02T10:00:00Z','eventIds':[],'payload':{}}",
                // a kind nobody knows
                "{'decisionId':'d','kind':'maybe','customerId':'c','campaign':'x','rule':'R','rulesVersion':'v',"
                        + "'decidedAt':'2026-03-02T10:00:00Z','eventIds':[],'payload':{}}")) {
            JsonNode node = JSON.readTree(bad.replace('\'', '"'));
            assertTrue(!schema.validate(node).isEmpty(), "schema accepted " + node);
            assertThrows(IOException.class, () -> new DecisionJson(JSON).read(node), "reader accepted " + node);
        }
    }
}
