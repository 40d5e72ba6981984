package dev.nudge.send;

import io.vertx.core.Future;

/**
 * Where the mails of some campaigns go: the SMTP relay, or one webhook endpoint. The {@link Dispatcher} queues, paces,
 * retries and records; the channel makes one call and says what its failure means.
 */
interface Channel {

    /** For log lines: "the SMTP relay", "webhook braze". */
    String describe();

    /** Makes one attempt; succeeds with what the ledger keeps of the answer (a Message-ID, an HTTP status). */
    Future<String> deliver(Mail m);

    /** What a failed attempt means: try again, slow everyone down, or give up. */
    Refusal judge(Throwable cause);

    /**
     * True when the other side recognises a repeated call (an idempotency key): a call whose answer was lost in a
     * crash is made again rather than called in doubt, and a revocation is forwarded.
     */
    boolean idempotent();

    Future<Void> close();

    /** What a failed attempt means. {@code retryAfterMillis}: how long the other side asked to wait, or -1. */
    record Refusal(Kind kind, String reason, long retryAfterMillis) {

        static Refusal of(Kind kind, String reason) {
            return new Refusal(kind, reason, -1);
        }

        /** What kind of failure. */
        enum Kind {
            /** Try this one again later (a timeout, a 4xx reply, a 5xx status). */
            TRANSIENT,
            /** An answer about the sender, not this mail: every mail of the channel waits. */
            THROTTLED,
            /** Refused for good: dead-lettered with the answer. */
            PERMANENT,
            /** Refused for good because the address does not exist: a hard bounce too. */
            BOUNCED,
            /** Nothing to send: the templates failed. */
            UNRENDERABLE
        }
    }
}
