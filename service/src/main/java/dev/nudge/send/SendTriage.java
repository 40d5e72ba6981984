package dev.nudge.send;

import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionKind;
import dev.nudge.event.Text;

import java.time.Duration;

/**
 * What the send stage does with one decision record: the one place it reads a decision's kind. A pure function of the
 * decision, what the ledger knows of it and the clock, so every case is a line in a table of tests.
 */
final class SendTriage {

    /** What to do with the record. */
    enum Action {
        /** A revocation: drop the mail of that id if it still waits, else note it so a late copy is not sent. */
        REVOKE,
        /** Settled already, or waiting here: a copy (redelivery, replay) that sends nothing. */
        DUPLICATE,
        /** Handed to the SMTP relay by an owner that stopped before recording the answer: not sent again, reported. */
        IN_DOUBT,
        /** The customer is in the campaign's holdout group: recorded, never sent. */
        HOLDOUT,
        /** A hold or a suppression: audit records that the engine never writes here; a copy from elsewhere, not sent. */
        NOT_A_MAIL,
        /** Written longer ago than {@code send.give-up-after}: too late to be worth sending. */
        EXPIRED,
        /** No e-mail address (an anonymous visitor): recorded, nobody can fix it. */
        NO_ADDRESS,
        /** An address that is not one, or would forge headers: given up at once, retrying cannot help. */
        INVALID_ADDRESS,
        /** Render and deliver it. */
        SEND
    }

    /** The action, with what to record about it. */
    record Verdict(Action action, String detail) {
    }

    /** What the ledger and the dispatcher know of the decision's id. */
    record Known(boolean settled, boolean waiting, LedgerEntry open) {
        static final Known NOTHING = new Known(false, false, null);
    }

    private SendTriage() {
    }

    /** {@code producedAt}: when the decision was written to Kafka (wall clock), as {@code now}. */
    static Verdict of(Decision d, Known known, long producedAt, long now, Duration giveUpAfter) {
        return of(d, known, producedAt, now, giveUpAfter, false);
    }

    /**
     * The same for a decision of a campaign that goes to a webhook ({@code webhook} true): its receiver recognises a
     * repeated call by the idempotency key, so a call whose answer a crash lost is made again rather than called in
     * doubt; and the endpoint needs no e-mail address (an ESP knows the customer by id).
     */
    static Verdict of(Decision d, Known known, long producedAt, long now, Duration giveUpAfter, boolean webhook) {
        if (d.kind() == DecisionKind.VOIDED) {
            return new Verdict(Action.REVOKE, d.reason());
        }
        if (known.settled() || known.waiting()) {
            return new Verdict(Action.DUPLICATE, "already " + (known.waiting() ? "waiting" : "settled"));
        }
        if (known.open() != null && known.open().state().equals(LedgerEntry.SENDING) && !webhook) {
            return new Verdict(Action.IN_DOUBT, "in doubt: handed to the relay at " + known.open().at() + " (attempt "
                    + known.open().attempt() + ") by a sender that stopped before recording the answer; not sent again");
        }
        return switch (d.kind()) {
            case HOLDOUT -> new Verdict(Action.HOLDOUT, "holdout");
            case HELD, SUPPRESSED -> new Verdict(Action.NOT_A_MAIL, d.reason());
            case MAIL, FALLBACK -> mail(d, producedAt, now, giveUpAfter, webhook);
            case VOIDED -> throw new IllegalStateException("handled above");
        };
    }

    private static Verdict mail(Decision d, long producedAt, long now, Duration giveUpAfter, boolean webhook) {
        if (now - producedAt > giveUpAfter.toMillis()) {
            return new Verdict(Action.EXPIRED, "expired: decided more than " + giveUpAfter + " ago");
        }
        if (webhook) {
            return new Verdict(Action.SEND, null);
        }
        if (d.recipient() == null || d.recipient().email() == null) {
            return new Verdict(Action.NO_ADDRESS, "no e-mail address: the customer's profile has none");
        }
        if (!validAddress(d.recipient().email())) {
            return new Verdict(Action.INVALID_ADDRESS, "invalid e-mail address: '"
                    + Text.bounded(d.recipient().email(), 100) + "'");
        }
        return new Verdict(Action.SEND, null);
    }

    /** An address SMTP can carry (RFC 5321: at most 254 characters), with no line break or angle bracket in it. */
    static boolean validAddress(String email) {
        if (email.length() > 254) {
            return false;
        }
        try {
            new jakarta.mail.internet.InternetAddress(email, true).validate();
            return !email.contains("<") && email.indexOf('@') > 0;
        } catch (jakarta.mail.internet.AddressException e) {
            return false;
        }
    }
}
