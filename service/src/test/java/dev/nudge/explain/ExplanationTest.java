package dev.nudge.explain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nudge.decision.DecisionKind;
import dev.nudge.event.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What {@code GET /customers/{id}/decisions} says became of each kind of decision, delivered or not. */
class ExplanationTest {

    @ParameterizedTest(name = "{0} {1} + ledger {2} -> {4}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # kind     | reason        | ledger state | ledger detail                    | outcome
            mail       | -             | -            | -                                | to be mailed
            mail       | -             | sent         | -                                | mailed
            mail       | -             | no-address   | no e-mail address                | not mailed: no address
            mail       | -             | failed       | 550 5.1.1 mailbox unavailable    | not mailed: 550 5.1.1 mailbox unavailable
            mail       | -             | void         | purchased                        | not mailed: void (purchased)
            mail       | -             | retry        | 421 try later                    | to be mailed: retrying (421 try later)
            mail       | -             | sending      | -                                | being mailed
            fallback   | source-quiet  | sent         | -                                | mailed
            holdout    | -             | holdout      | -                                | not mailed: holdout
            suppressed | frequency-cap | -            | -                                | not mailed: frequency-cap
            held       | quiet-hours   | -            | -                                | held: quiet-hours
            voided     | purchased     | -            | -                                | revoked: purchased
            """)
    void eachKindAndDeliveryReadsAsWhatHappened(String kind, String reason, String state, String detail,
                                                String outcome) throws IOException {
        JsonNode delivery = state == null ? null : Json.mapper().createObjectNode().put("state", state)
                .put("detail", detail);
        assertEquals(outcome, Explanation.outcome(DecisionKind.ofCode(kind), reason, delivery));
    }
}
