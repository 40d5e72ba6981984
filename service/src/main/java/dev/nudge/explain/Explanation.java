package dev.nudge.explain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nudge.decision.DecisionKind;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * What became of a decision, in the words {@code GET /customers/{id}/decisions} answers with: the decision's kind,
 * and for a mail what the send stage did with it; and the same as a sentence a person reads ({@link #says}). Pure
 * functions, so each case is a line in a table of tests.
 */
public final class Explanation {

    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Explanation() {
    }

    /**
     * {@code mailed}, {@code not mailed: <why>}, {@code held: <reason>}, {@code revoked: <reason>}, or, for a mail
     * the send stage has not reported on yet, {@code to be mailed}.
     *
     * @param delivery the send stage's newest ledger entry for the decision ({@code state}, {@code detail}), or null
     */
    static String outcome(DecisionKind kind, String reason, JsonNode delivery) {
        return switch (kind) {
            case SUPPRESSED -> "not mailed: " + reason;
            case HELD -> "held: " + reason;
            case VOIDED -> "revoked: " + reason;
            case HOLDOUT -> "not mailed: holdout";
            case MAIL, FALLBACK -> delivery == null ? "to be mailed" : delivered(delivery);
        };
    }

    private static String delivered(JsonNode delivery) {
        String detail = delivery.path("detail").asText("");
        return switch (delivery.path("state").asText()) {
            case "sent" -> "mailed";
            case "no-address" -> "not mailed: no address";
            case "holdout" -> "not mailed: holdout";
            case "void" -> "not mailed: void" + (detail.isEmpty() ? "" : " (" + detail + ")");
            case "failed" -> "not mailed: " + (detail.isEmpty() ? "failed" : detail);
            case "retry" -> "to be mailed: retrying" + (detail.isEmpty() ? "" : " (" + detail + ")");
            case "sending" -> "being mailed";
            default -> "to be mailed";
        };
    }

    /**
     * The entry as one sentence: what became of the mail, its campaign and when it was decided, and what its reason
     * refers to: the earlier mail a frequency cap or re-eligibility counted, when quiet hours end, until when a hold
     * lasts. {@code entry} is a decision as {@code GET /customers/{id}/decisions} lists it, with its outcome.
     */
    static String says(JsonNode entry) {
        DecisionKind kind = DecisionKind.ofCode(entry.path("kind").asText());
        String reason = entry.path("reason").asText("");
        String head = " (" + entry.path("campaign").asText() + ", decided " + time(entry.path("decidedAt")) + "): ";
        String outcome = entry.path("outcome").asText("");
        return switch (kind) {
            case SUPPRESSED -> "Not mailed" + head + because(entry, reason);
            case HELD -> "Held" + head + ("quiet-hours".equals(reason) ? "quiet hours, until they end at "
                    + time(entry.path("heldUntil")) : reason + ", until " + time(entry.path("heldUntil"))
                    + " at the latest");
            case VOIDED -> "Revoked" + head + reason + " (dropped unless it had gone out)";
            case HOLDOUT -> "Not mailed" + head + "holdout: the customer is in the campaign's holdout group";
            case MAIL, FALLBACK -> {
                String fallback = kind == DecisionKind.FALLBACK ? ", without waiting any longer for " + reason : "";
                if (outcome.equals("mailed")) {
                    // no time of sending: the ledger's is the wall clock, the decision's event time (the demo's
                    // shoppers run ahead of the wall clock), and side by side they would read as nonsense
                    yield "Mailed" + head + "sent" + fallback;
                }
                if (outcome.startsWith("not mailed: ")) {
                    yield "Not mailed" + head + outcome.substring("not mailed: ".length());
                }
                if (outcome.equals("to be mailed")) {
                    yield "To be mailed" + head + "the send stage has not reported on it yet" + fallback;
                }
                yield Character.toUpperCase(outcome.charAt(0)) + outcome.substring(1) + head.substring(0,
                        head.length() - 2) + fallback;
            }
        };
    }

    /** A suppression's reason, with what it refers to when the decision names it. */
    private static String because(JsonNode entry, String reason) {
        JsonNode earlier = entry.path("earlierMail");
        if (earlier.isObject()) {
            String what = earlier.hasNonNull("decisionId")
                    ? "the " + earlier.path("campaign").asText("earlier") + " mail of " + time(earlier.path("at"))
                            + " (decision " + shortId(earlier.path("decisionId").asText()) + ")"
                    : "a mail of another sender at " + time(earlier.path("at")) + " (EmailSent "
                            + shortId(earlier.path("eventId").asText()) + ")";
            return ("frequency-cap".equals(reason) ? "frequency cap" : reason) + ", after " + what;
        }
        if (entry.hasNonNull("quietHoursEnd")) {
            return "quiet hours, which end at " + time(entry.path("quietHoursEnd"));
        }
        return reason;
    }

    private static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 8) + "…" : id;
    }

    /** A time as people read it: minutes, and seconds only when there are some, in UTC. */
    public static String time(Instant at) {
        return (at.getEpochSecond() % 60 == 0 && at.getNano() == 0 ? MINUTES : SECONDS).format(at);
    }

    private static String time(JsonNode at) {
        try {
            return time(Instant.parse(at.asText()));
        } catch (DateTimeParseException e) {
            return at.asText("an unknown time");
        }
    }
}
