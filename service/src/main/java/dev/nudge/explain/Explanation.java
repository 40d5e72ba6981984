package dev.nudge.explain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nudge.decision.DecisionKind;

/**
 * What became of a decision, in the words {@code GET /customers/{id}/decisions} answers with: the decision's kind,
 * and for a mail what the send stage did with it. A pure function, so each case is a line in a table of tests.
 */
final class Explanation {

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
}
