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

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            # entry (as GET /customers/{id}/decisions lists it)                                                                                                                                                                   | says
            {'kind':'mail','campaign':'cart-abandonment','decidedAt':'2026-03-02T10:36:00Z','outcome':'mailed','delivery':{'state':'sent','at':'2026-03-02T10:36:02Z'}}                                                          | Mailed (cart-abandonment, decided 2026-03-02 10:36 UTC): sent
            {'kind':'mail','campaign':'cart-abandonment','decidedAt':'2026-03-02T10:36:00Z','outcome':'to be mailed'}                                                                                                         | To be mailed (cart-abandonment, decided 2026-03-02 10:36 UTC): the send stage has not reported on it yet
            {'kind':'mail','campaign':'cart-abandonment','decidedAt':'2026-03-02T10:36:00Z','outcome':'not mailed: no address'}                                                                                               | Not mailed (cart-abandonment, decided 2026-03-02 10:36 UTC): no address
            {'kind':'mail','campaign':'cart-abandonment','decidedAt':'2026-03-02T10:36:00Z','outcome':'being mailed'}                                                                                                         | Being mailed (cart-abandonment, decided 2026-03-02 10:36 UTC)
            {'kind':'fallback','reason':'source-quiet','campaign':'cart-abandonment','decidedAt':'2026-03-02T12:36:00Z','outcome':'mailed','delivery':{'state':'sent','at':'2026-03-02T12:36:00Z'}}                            | Mailed (cart-abandonment, decided 2026-03-02 12:36 UTC): sent, without waiting any longer for source-quiet
            {'kind':'suppressed','reason':'frequency-cap','campaign':'cart-abandonment','decidedAt':'2026-03-02T10:30:00Z','earlierMail':{'decisionId':'4b62f0e1-0000-4000-8000-000000000000','campaign':'browse-abandonment','at':'2026-03-02T01:20:00Z'}} | Not mailed (cart-abandonment, decided 2026-03-02 10:30 UTC): frequency cap, after the browse-abandonment mail of 2026-03-02 01:20 UTC (decision 4b62f0e1…)
            {'kind':'suppressed','reason':'frequency-cap','campaign':'cart-abandonment','decidedAt':'2026-03-02T10:30:00Z','earlierMail':{'eventId':'esp-1','at':'2026-03-02T09:00:00Z'}}                                   | Not mailed (cart-abandonment, decided 2026-03-02 10:30 UTC): frequency cap, after a mail of another sender at 2026-03-02 09:00 UTC (EmailSent esp-1)
            {'kind':'suppressed','reason':'re-eligibility','campaign':'cart-abandonment','decidedAt':'2026-03-03T10:30:00Z','earlierMail':{'decisionId':'d1','campaign':'cart-abandonment','at':'2026-03-02T10:30:00Z'}}      | Not mailed (cart-abandonment, decided 2026-03-03 10:30 UTC): re-eligibility, after the cart-abandonment mail of 2026-03-02 10:30 UTC (decision d1)
            {'kind':'suppressed','reason':'quiet-hours','campaign':'pricing-page-interest','decidedAt':'2026-03-02T22:00:00Z','quietHoursEnd':'2026-03-03T08:00:00Z'}                                                        | Not mailed (pricing-page-interest, decided 2026-03-02 22:00 UTC): quiet hours, which end at 2026-03-03 08:00 UTC
            {'kind':'suppressed','reason':'unsubscribed','campaign':'cart-abandonment','decidedAt':'2026-03-02T10:36:00Z'}                                                                                                    | Not mailed (cart-abandonment, decided 2026-03-02 10:36 UTC): unsubscribed
            {'kind':'held','reason':'quiet-hours','campaign':'cart-abandonment','decidedAt':'2026-03-04T21:15:00Z','heldUntil':'2026-03-05T08:00:00Z'}                                                                        | Held (cart-abandonment, decided 2026-03-04 21:15 UTC): quiet hours, until they end at 2026-03-05 08:00 UTC
            {'kind':'held','reason':'source-quiet','campaign':'cart-abandonment','decidedAt':'2026-03-04T10:36:00Z','heldUntil':'2026-03-04T12:36:00Z'}                                                                       | Held (cart-abandonment, decided 2026-03-04 10:36 UTC): source-quiet, until 2026-03-04 12:36 UTC at the latest
            {'kind':'voided','reason':'purchased','campaign':'cart-abandonment','decidedAt':'2026-03-02T10:50:00Z'}                                                                                                           | Revoked (cart-abandonment, decided 2026-03-02 10:50 UTC): purchased (dropped unless it had gone out)
            {'kind':'holdout','campaign':'cart-abandonment','decidedAt':'2026-03-02T10:36:00Z','outcome':'not mailed: holdout'}                                                                                               | Not mailed (cart-abandonment, decided 2026-03-02 10:36 UTC): holdout: the customer is in the campaign's holdout group
            """)
    void eachEntryReadsAsASentence(String entry, String says) throws IOException {
        assertEquals(says, Explanation.says(Json.mapper().readTree(entry.replace('\'', '"'))));
    }
}
