package dev.nudge.explain;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nudge.event.ConsentSignal;
import dev.nudge.event.CustomerProfile;

import java.time.Instant;

/**
 * What Nudge knows of one customer besides its decisions: the events it received lately (from the events topic) and
 * the newest profile and consent signal (from the customers topic), which say whether marketing mail may go to them.
 * Not thread-safe: the {@link DecisionLog} guards it.
 */
final class CustomerFacts {

    private long eventsSeen;
    private long lastEventAt = Long.MIN_VALUE;
    private CustomerProfile profile;
    private ConsentSignal signal;

    void event(long receivedAt) {
        eventsSeen++;
        lastEventAt = Math.max(lastEventAt, receivedAt);
    }

    /** Keeps the newer profile, as rules/customers.drl does. */
    void profile(CustomerProfile p) {
        if (profile == null || !p.timestamp().isBefore(profile.timestamp())) {
            profile = p;
        }
    }

    /** Keeps the newer decisive signal (a soft bounce says nothing about consent). */
    void signal(ConsentSignal s) {
        if (s.decisive() && (signal == null || s.getEventTime() >= signal.getEventTime())) {
            signal = s;
        }
    }

    /** Events received, their newest time, and the consent state; nothing for what was not seen. */
    void describe(ObjectNode out) {
        out.put("eventsSeen", eventsSeen);
        if (eventsSeen > 0) {
            out.put("lastEventReceivedAt", Instant.ofEpochMilli(lastEventAt).toString());
        }
        out.set("consent", consent(profile, signal));
    }

    /**
     * Whether the shipped consent guards (rules/guards.drl: OptedOut, NoConsentInProfile) let marketing mail through,
     * and why: an opt-out (Unsubscribed, SpamComplaint, a hard EmailBounced) unless a newer profile consents, and a
     * profile without consent unless a newer Subscribed opts in. A pure function of the two newest facts.
     */
    static ObjectNode consent(CustomerProfile profile, ConsentSignal signal) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        boolean profileConsents = profile != null && Boolean.TRUE.equals(profile.marketingConsent());
        boolean optedOut = signal != null && !signal.optsIn()
                && !(profileConsents && profile.getEventTime() > signal.getEventTime());
        boolean noConsent = profile != null && Boolean.FALSE.equals(profile.marketingConsent())
                && !(signal != null && signal.optsIn() && signal.getEventTime() > profile.getEventTime());
        out.put("mayMail", !optedOut && !noConsent);
        String says;
        if (optedOut) {
            says = "opted out: " + signal.reason() + " at " + Explanation.time(signal.timestamp());
        } else if (noConsent) {
            says = "no consent: the profile of " + Explanation.time(profile.timestamp())
                    + " says marketingConsent false";
        } else if (signal != null && signal.optsIn()) {
            says = "may be mailed: subscribed at " + Explanation.time(signal.timestamp());
        } else if (profileConsents) {
            says = "may be mailed: the profile of " + Explanation.time(profile.timestamp())
                    + " says marketingConsent true";
        } else {
            says = "may be mailed: no opt-out on record";
        }
        out.put("says", says);
        if (profile != null) {
            ObjectNode p = out.putObject("profile").put("at", profile.timestamp().toString());
            if (profile.marketingConsent() != null) {
                p.put("marketingConsent", profile.marketingConsent());
            }
            p.put("hasAddress", profile.email() != null);
        }
        if (signal != null) {
            out.putObject("signal").put("type", signal.getClass().getSimpleName()).put("optsIn", signal.optsIn())
                    .put("reason", signal.reason()).put("at", signal.timestamp().toString())
                    .put("eventId", signal.eventId());
        }
        return out;
    }
}
