package dev.nudge.decision;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.time.Instant;

/**
 * The earlier mail a guard counted against a new one (the frequency cap, re-eligibility), so that "why was this not
 * mailed?" names it: a decision of Nudge's ({@code decisionId}), or a mail another sender reported ({@code eventId} of
 * its EmailSent event). {@code campaign} is absent when another sender did not name one; {@code at} is when it was
 * decided or sent.
 */
@JsonPropertyOrder({"decisionId", "eventId", "campaign", "at"})
public record EarlierMail(String decisionId, String eventId, String campaign, Instant at) {

    public EarlierMail {
        if ((decisionId == null) == (eventId == null) || at == null) {
            throw new IllegalArgumentException("an earlier mail is named by its decision id or its event id, and has a"
                    + " time");
        }
    }
}
