package dev.nudge.send;

import dev.nudge.event.Text;

import java.time.Instant;

/**
 * What the send stage last did with a decision, as kept in the compacted ledger topic under the decision id: the
 * ledger is read before a mail is sent, so a decision delivered twice is mailed at most once.
 */
public record LedgerEntry(String decisionId, String customerId, String campaign, String state, int attempt, Instant at,
                          String detail) {

    /**
     * Handed to the SMTP relay or a webhook; no answer recorded yet. Found after a crash, a mail is in doubt; a
     * webhook call is made again (its receiver knows the idempotency key).
     */
    public static final String SENDING = "sending";
    /** The relay accepted the mail, or the webhook answered 2xx. */
    public static final String SENT = "sent";
    /** The relay or the webhook refused for now; the mail waits for its next attempt. */
    public static final String RETRY = "retry";
    /** Given up: refused for good, no address, unrenderable, waited too long, or in doubt. */
    public static final String FAILED = "failed";
    /** Revoked by the rules (the customer bought, opted out) before it went out. */
    public static final String VOID = "void";
    /** The customer has no e-mail address (an anonymous visitor): nothing to send to. */
    public static final String NO_ADDRESS = "no-address";
    /** The customer is in the campaign's holdout group: recorded, never sent. */
    public static final String HOLDOUT = "holdout";

    /** The detail may quote a relay's answer or an address: bounded, so the ledger's record stays small. */
    public LedgerEntry {
        detail = Text.reason(detail);
    }

    /** True when nothing more will happen to this decision: a copy of it is not sent again. */
    public boolean settled() {
        return !state.equals(SENDING) && !state.equals(RETRY);
    }
}
