package dev.nudge.explain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nudge.event.ConsentSignal;
import dev.nudge.event.CustomerProfile;
import dev.nudge.event.EmailBounced;
import dev.nudge.event.SpamComplaint;
import dev.nudge.event.Subscribed;
import dev.nudge.event.Unsubscribed;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The consent state the explanation shows agrees with the shipped consent guards (rules/guards.drl). */
class CustomerFactsTest {

    private static final Instant NINE = Instant.parse("2026-03-02T09:00:00Z");
    private static final Instant TEN = Instant.parse("2026-03-02T10:00:00Z");

    @ParameterizedTest(name = "profile {0} at {1}, {2} at {3} -> {4}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # profile consent | at | newest signal | at | says
            -     | -    | -            | -    | may be mailed: no opt-out on record
            -     | 9:00 | -            | -    | may be mailed: no opt-out on record
            true  | 9:00 | -            | -    | may be mailed: the profile of 2026-03-02 09:00 UTC says marketingConsent true
            false | 9:00 | -            | -    | no consent: the profile of 2026-03-02 09:00 UTC says marketingConsent false
            -     | -    | unsubscribed | 10:00 | opted out: unsubscribed at 2026-03-02 10:00 UTC
            -     | -    | spam         | 10:00 | opted out: spam-complaint at 2026-03-02 10:00 UTC
            -     | -    | hard-bounce  | 10:00 | opted out: hard-bounce at 2026-03-02 10:00 UTC
            true  | 9:00 | unsubscribed | 10:00 | opted out: unsubscribed at 2026-03-02 10:00 UTC
            true  | 10:00 | unsubscribed | 9:00 | may be mailed: the profile of 2026-03-02 10:00 UTC says marketingConsent true
            false | 9:00 | subscribed   | 10:00 | may be mailed: subscribed at 2026-03-02 10:00 UTC
            false | 10:00 | subscribed  | 9:00 | no consent: the profile of 2026-03-02 10:00 UTC says marketingConsent false
            """)
    void consentAsTheGuardsDecideIt(String consent, String profileAt, String signal, String signalAt, String says) {
        CustomerProfile profile = profileAt == null ? null : new CustomerProfile("p", "ana", at(profileAt),
                "ana@example.com", null, null, null, consent == null ? null : Boolean.valueOf(consent), Map.of());
        ConsentSignal s = signal == null ? null : switch (signal) {
            case "unsubscribed" -> new Unsubscribed("s", "ana", at(signalAt), null);
            case "spam" -> new SpamComplaint("s", "ana", at(signalAt), null);
            case "hard-bounce" -> new EmailBounced("s", "ana", at(signalAt), true, "550", null);
            default -> new Subscribed("s", "ana", at(signalAt));
        };
        ObjectNode out = CustomerFacts.consent(profile, s);
        assertEquals(says, out.get("says").asText());
        assertEquals(says.startsWith("may be mailed"), out.get("mayMail").asBoolean());
    }

    private static Instant at(String hhmm) {
        return hhmm.equals("9:00") ? NINE : TEN;
    }
}
