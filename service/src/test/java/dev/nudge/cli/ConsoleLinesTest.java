package dev.nudge.cli;

import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionKind;
import dev.nudge.send.LedgerEntry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Given the records {@code nudge run} reads, in order, the exact console lines: what really happened to each mail. */
class ConsoleLinesTest {

    private static final String ID = "c9a3834a-9f0f-3918-a42c-9a6b20dbc09f";
    private static final String EVENT = "mx51ym1a-d0-1017ae12-9ff4-4b2a-ade3-641a2f1b2954";
    private static final Instant DECIDED = Instant.parse("2026-12-01T20:03:11.129Z");
    private static final Instant QUIET_END = Instant.parse("2026-12-01T23:00:00Z");
    private static final Instant MAILED_AT = Instant.parse("2026-12-01T18:51:31.500Z");
    private static final String COLUMNS = "cart-abandonment       cust-19      decision c9a3834a  at ";
    private static final String RULE = "  rule CartAbandonedAfter30Minutes  events ...2f1b2954";

    private final ConsoleLines lines = new ConsoleLines();

    @Test
    void aNewMailIsADecisionWithShortIds() {
        assertEquals("DECISION   " + COLUMNS + "2026-12-01T20:03:11Z" + RULE,
                lines.decision(decision(DecisionKind.MAIL, null, DECIDED, null, null), false));
    }

    @Test
    void aHoldThatEndsInAMailPrintsAsReleasedNotAsANewDecision() {
        assertEquals("HELD       " + COLUMNS + "2026-12-01T20:03:11Z" + RULE
                        + "  (quiet-hours until 2026-12-01T23:00:00Z)",
                lines.decision(decision(DecisionKind.HELD, "quiet-hours", DECIDED, QUIET_END, null), true));
        assertEquals("RELEASED   " + COLUMNS + "2026-12-01T23:00:00Z" + RULE
                        + "  (held for quiet-hours, now to be mailed)",
                lines.decision(decision(DecisionKind.MAIL, null, QUIET_END, null, "quiet-hours"), false));
    }

    @Test
    void aHoldThatEndsInASuppressionSaysSo() {
        assertEquals("SUPPRESSED " + COLUMNS + "2026-12-01T23:00:00Z" + RULE
                        + "  (frequency-cap, after a hold for quiet-hours)",
                lines.decision(decision(DecisionKind.SUPPRESSED, "frequency-cap", QUIET_END, null, "quiet-hours"),
                        true));
    }

    @Test
    void aSuppressionThatEndsAHoldShownAboveSaysSo() {
        lines.decision(decision(DecisionKind.HELD, "quiet-hours", DECIDED, QUIET_END, null), true);
        assertEquals("SUPPRESSED " + COLUMNS + "2026-12-01T21:00:59Z" + RULE + "  (cart-changed, ending its hold)",
                lines.decision(decision(DecisionKind.SUPPRESSED, "cart-changed", Instant.parse("2026-12-01T21:00:59Z"),
                        null, null), true));
    }

    @Test
    void aCopyOfADecisionMailedBeforeARestartIsADuplicate() {
        lines.remember(ledger(LedgerEntry.SENT, "<msg-1@nudge>"));
        assertEquals("DUPLICATE  " + COLUMNS + "2026-12-01T20:03:11Z" + RULE + "  (a copy: the send stage mailed it "
                        + "before this run, at 2026-12-01T18:51:31Z; nothing more is done with it)",
                lines.decision(decision(DecisionKind.MAIL, null, DECIDED, null, null), false));
    }

    @Test
    void aCopyOfADecisionShownInThisRunIsADuplicateBeforeAndAfterItIsMailed() {
        lines.decision(decision(DecisionKind.MAIL, null, DECIDED, null, null), false);
        assertEquals("DUPLICATE  " + COLUMNS + "2026-12-01T20:03:11Z" + RULE
                        + "  (a copy of a decision shown above (mail): the send stage handles it once)",
                lines.decision(decision(DecisionKind.MAIL, null, DECIDED, null, null), false));
        assertEquals("MAILED     cart-abandonment       cust-19      decision c9a3834a  (GET /outbox shows it)",
                lines.ledger(ledger(LedgerEntry.SENT, "<msg-1@nudge>")));
        assertEquals("DUPLICATE  " + COLUMNS + "2026-12-01T20:03:11Z" + RULE + "  (a copy: the send stage mailed it, at "
                        + "2026-12-01T18:51:31Z; nothing more is done with it)",
                lines.decision(decision(DecisionKind.MAIL, null, DECIDED, null, null), false));
    }

    @Test
    void aRevocationOfAMailThatWentOutIsTooLateToVoid() {
        lines.decision(decision(DecisionKind.MAIL, null, DECIDED, null, null), false);
        lines.ledger(ledger(LedgerEntry.SENT, "<msg-1@nudge>"));
        assertEquals("TOO LATE   " + COLUMNS + "2026-12-01T20:40:00Z" + RULE
                        + "  (purchased, but the mail went out at 2026-12-01T18:51:31Z: too late to void)",
                lines.decision(decision(DecisionKind.VOIDED, "purchased", Instant.parse("2026-12-01T20:40:00Z"),
                        null, null), false));
    }

    @Test
    void aRevocationOfAMailSentBeforeARestartIsTooLateToVoid() {
        lines.remember(ledger(LedgerEntry.SENT, "<msg-1@nudge>"));
        assertEquals("TOO LATE   " + COLUMNS + "2026-12-01T20:40:00Z" + RULE + "  (purchased, but the mail went out "
                        + "before this run at 2026-12-01T18:51:31Z: too late to void)",
                lines.decision(decision(DecisionKind.VOIDED, "purchased", Instant.parse("2026-12-01T20:40:00Z"),
                        null, null), false));
    }

    @Test
    void aRevocationInTimeIsVoidedAndTheMailNotSent() {
        lines.decision(decision(DecisionKind.MAIL, null, DECIDED, null, null), false);
        assertEquals("VOIDED     " + COLUMNS + "2026-12-01T20:40:00Z" + RULE + "  (purchased)",
                lines.decision(decision(DecisionKind.VOIDED, "purchased", Instant.parse("2026-12-01T20:40:00Z"),
                        null, null), false));
        assertEquals("NOT MAILED cart-abandonment       cust-19      decision c9a3834a  (purchased)",
                lines.ledger(ledger(LedgerEntry.VOID, "purchased")));
    }

    @Test
    void aMailOnItsWayWhenTheRevocationCameSaysItWasTooLate() {
        lines.decision(decision(DecisionKind.VOIDED, "purchased", DECIDED, null, null), false);
        assertEquals("MAILED     cart-abandonment       cust-19      decision c9a3834a  (too late to void: it was on "
                        + "its way when the revocation came; GET /outbox shows it)",
                lines.ledger(ledger(LedgerEntry.SENT, "<msg-1@nudge>")));
    }

    @Test
    void aCopyOfADecisionSettledWithoutAMailSaysHow() {
        lines.remember(ledger(LedgerEntry.NO_ADDRESS, "no e-mail address: the customer's profile has none"));
        assertEquals("DUPLICATE  " + COLUMNS + "2026-12-01T20:03:11Z" + RULE + "  (a copy: the send stage found no "
                        + "e-mail address for it before this run, at 2026-12-01T18:51:31Z; nothing more is done with it)",
                lines.decision(decision(DecisionKind.MAIL, null, DECIDED, null, null), false));
        assertEquals(1, lines.shown("DUPLICATE"));
        assertEquals(0, lines.shown("DECISION"));
    }

    @Test
    void theSendStagesStepsInBetweenAndTheAuditCopiesOfDecisionsAreNotShown() {
        assertNull(lines.ledger(ledger(LedgerEntry.SENDING, null)));
        assertNull(lines.ledger(ledger(LedgerEntry.RETRY, "421 try later")));
        assertNull(lines.decision(decision(DecisionKind.HOLDOUT, null, DECIDED, null, null), true));
        assertEquals("MAIL FAILED cart-abandonment       cust-19      decision c9a3834a  (550 no such user)",
                lines.ledger(ledger(LedgerEntry.FAILED, "550 no such user")));
    }

    @Test
    void manyEventsShowTheFirstThreeAndHowManyMore() {
        assertEquals("...00000001,...00000002,...00000003 +2 more", ShortIds.events(List.of(
                "mx51ym1a-d0-00000001", "mx51ym1a-d0-00000002", "mx51ym1a-d0-00000003", "e4", "e5")));
        assertEquals("e1", ShortIds.events(List.of("e1")));
        assertEquals("short-id", ShortIds.decision("short-id"));
    }

    private static Decision decision(DecisionKind kind, String reason, Instant at, Instant heldUntil,
                                     String releasedFrom) {
        return new Decision(ID, kind, reason, "cust-19", "cart-abandonment", "CartAbandonedAfter30Minutes", "v1", at,
                heldUntil, releasedFrom, List.of(EVENT), null, null);
    }

    private static LedgerEntry ledger(String state, String detail) {
        return new LedgerEntry(ID, "cust-19", "cart-abandonment", state, 1, MAILED_AT, detail);
    }
}
