package dev.nudge.event;

/** The outcome of reading one event: the event, or why it was refused. A bad event is a value, not a crash. */
public sealed interface ParseResult {

    /**
     * A valid event; {@code previousId}, when not null, is another id the same call names the customer by (a Segment
     * call with both {@code userId} and {@code anonymousId}): that id is to be merged into the event's customer.
     */
    record Parsed(CustomerEvent event, String previousId) implements ParseResult {

        public Parsed(CustomerEvent event) {
            this(event, null);
        }
    }

    /** An event that cannot be used, with a reason a person can act on. */
    record Rejected(String reason) implements ParseResult {
    }

    /** A reason may quote the bad value: bounded, so an answer or a header stays small. */
    static ParseResult rejected(String reason) {
        return new Rejected(Text.reason(reason));
    }
}
