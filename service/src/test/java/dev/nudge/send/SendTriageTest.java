package dev.nudge.send;

import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionKind;
import dev.nudge.decision.Recipient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the send stage does with each kind of decision record, given what its ledger knows: one line per case. */
class SendTriageTest {

    private static final long NOW = Instant.parse("2026-03-02T12:00:00Z").toEpochMilli();
    private static final Duration GIVE_UP = Duration.ofHours(24);

    @ParameterizedTest(name = "{0} {1}, to {2}, ledger {3}, waiting {4}, written {5} h ago -> {6}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # kind     | reason        | address          | ledger  | waiting | hours ago | action
            mail       | -             | ana@example.com  | -       | false   | 0         | SEND
            fallback   | source-quiet  | ana@example.com  | -       | false   | 0         | SEND
            mail       | -             | -                | -       | false   | 0         | NO_ADDRESS
            mail       | -             | not an address   | -       | false   | 0         | INVALID_ADDRESS
            mail       | -             | ana@example.com  | -       | false   | 25        | EXPIRED
            mail       | -             | ana@example.com  | sent    | false   | 0         | DUPLICATE
            mail       | -             | ana@example.com  | -       | true    | 0         | DUPLICATE
            mail       | -             | ana@example.com  | sending | false   | 0         | IN_DOUBT
            mail       | -             | ana@example.com  | retry   | false   | 0         | SEND
            holdout    | -             | ana@example.com  | -       | false   | 0         | HOLDOUT
            holdout    | -             | -                | holdout | false   | 0         | DUPLICATE
            held       | quiet-hours   | ana@example.com  | -       | false   | 0         | NOT_A_MAIL
            suppressed | frequency-cap | ana@example.com  | -       | false   | 0         | NOT_A_MAIL
            voided     | purchased     | -                | -       | false   | 0         | REVOKE
            voided     | purchased     | -                | sent    | false   | 30        | REVOKE
            """)
    void eachRecordGetsItsAction(String kind, String reason, String address, String ledgerState, boolean waiting,
                                 int hoursAgo, SendTriage.Action action) {
        DecisionKind k = DecisionKind.ofCode(kind);
        Instant decided = Instant.ofEpochMilli(NOW).minus(Duration.ofHours(hoursAgo));
        Decision d = new Decision("d-1", k, reason, "ana", "cart-abandonment", "R", "v1", decided,
                k == DecisionKind.HELD ? decided.plusSeconds(3600) : null, null, List.of("e1"), Map.of(),
                address == null ? null : new Recipient(address, "Ana", null, null));
        LedgerEntry entry = ledgerState == null ? null
                : new LedgerEntry("d-1", "ana", "cart-abandonment", ledgerState, 1, decided, null);
        SendTriage.Known known = new SendTriage.Known(entry != null && entry.settled(), waiting,
                entry != null && !entry.settled() ? entry : null);

        SendTriage.Verdict v = SendTriage.of(d, known, decided.toEpochMilli(), NOW, GIVE_UP);

        assertEquals(action, v.action(), v.toString());
    }

    @ParameterizedTest(name = "webhook: {0}, to {1}, ledger {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # kind     | address          | ledger  | action
            # an endpoint knows the customer by id: no address needed, none checked
            mail       | -                | -       | SEND
            mail       | not an address   | -       | SEND
            # the receiver recognises a repeated call by its idempotency key: called again, not in doubt
            mail       | ana@example.com  | sending | SEND
            mail       | ana@example.com  | sent    | DUPLICATE
            voided     | -                | sent    | REVOKE
            holdout    | -                | -       | HOLDOUT
            """)
    void aWebhookCampaignNeedsNoAddressAndIsNeverInDoubt(String kind, String address, String ledgerState,
                                                          SendTriage.Action action) {
        DecisionKind k = DecisionKind.ofCode(kind);
        Instant decided = Instant.ofEpochMilli(NOW);
        Decision d = new Decision("d-1", k, k.needsReason() ? "purchased" : null, "ana", "cart-abandonment", "R", "v1",
                decided, null, null, List.of("e1"), Map.of(),
                address == null ? null : new Recipient(address, "Ana", null, null));
        LedgerEntry entry = ledgerState == null ? null
                : new LedgerEntry("d-1", "ana", "cart-abandonment", ledgerState, 1, decided, null);
        SendTriage.Known known = new SendTriage.Known(entry != null && entry.settled(), false,
                entry != null && !entry.settled() ? entry : null);

        SendTriage.Verdict v = SendTriage.of(d, known, decided.toEpochMilli(), NOW, GIVE_UP, true);

        assertEquals(action, v.action(), v.toString());
    }
}
