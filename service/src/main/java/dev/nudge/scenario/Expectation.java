package dev.nudge.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nudge.decision.DecisionKind;
import dev.nudge.engine.Nearest;
import dev.nudge.event.Refusal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One line of {@code expected.jsonl}: a decision the rules must make ({@code at}, {@code customerId}, {@code campaign},
 * {@code rule}, {@code eventIds}, and at most one of {@code suppressed}, {@code held}, {@code fallback},
 * {@code voided} with its reason, or {@code "holdout": true}; a {@code cart} and the address it goes {@code to} (null:
 * none known) to check), or an event they must refuse
 * ({@code refused} with the kind, and the {@code eventId} or the {@code line} of the event).
 */
record Expectation(int line, Outcome decision, String refusedEventId, Integer refusedLine, Refusal.Kind refused,
                   Map<String, Integer> cart, JsonNode to) {

    static final String FILE = "expected.jsonl";
    private static final List<String> DECISION_KEYS = List.of("at", "customerId", "campaign", "rule", "eventIds",
            "suppressed", "held", "fallback", "voided", "holdout", "cart", "to", "note");
    private static final List<String> REFUSAL_KEYS = List.of("refused", "eventId", "line", "note");
    /** The fields that name a decision's kind, with its reason as their value. */
    private static final Map<String, DecisionKind> KIND_FIELDS = Map.of("suppressed", DecisionKind.SUPPRESSED,
            "held", DecisionKind.HELD, "fallback", DecisionKind.FALLBACK, "voided", DecisionKind.VOIDED);

    /** A decision as a scenario compares it: what it is about and when, and its outcome. */
    record Outcome(Instant at, String customerId, String campaign, String rule, List<String> eventIds,
                   DecisionKind kind, String reason) {

        /** Everything but the outcome: two decisions with the same subject differ only in what became of them. */
        String subject() {
            return "at " + ScenarioTime.format(at) + "  " + customerId + "  " + campaign + " (" + rule + ")  events "
                    + eventIds.stream().sorted().toList();
        }

        /** {@code sent}, {@code holdout}, or the kind with its reason: {@code suppressed (quiet-hours)}. */
        String outcome() {
            return kind == DecisionKind.MAIL ? "sent" : reason == null ? kind.code() : kind.code() + " (" + reason + ")";
        }

        /** The line a report shows: a plain mail is its subject alone, anything else says what it is. */
        String describe() {
            return kind == DecisionKind.MAIL ? subject() : subject() + "  " + outcome();
        }
    }

    /**
     * True when this line expects the event with {@code eventId} (or, for an event without an id, the one at
     * {@code line} of events.jsonl) to be refused.
     */
    boolean refuses(String eventId, int line) {
        return refused != null && (eventId != null ? eventId.equals(refusedEventId)
                : Integer.valueOf(line).equals(refusedLine));
    }

    /** An event as a report names it: by its id, or by its line when it has none. */
    static String nameOf(String eventId, Integer line) {
        return eventId != null ? "event " + eventId : "events.jsonl line " + line;
    }

    static Expectation parse(JsonNode n, int line) throws FixtureException {
        if (!n.isObject()) {
            throw new FixtureException(FILE, line, "each line must be a JSON object");
        }
        return n.has("refused") ? refusal(n, line) : decision(n, line);
    }

    private static Expectation decision(JsonNode n, int line) throws FixtureException {
        knownKeys(n, line, DECISION_KEYS);
        for (String required : List.of("at", "customerId", "campaign", "rule", "eventIds")) {
            if (!n.hasNonNull(required)) {
                throw new FixtureException(FILE, line, "missing '" + required + "' (or, for an event that must be "
                        + "refused, 'refused')");
            }
        }
        Instant at;
        try {
            at = ScenarioTime.parse(n.get("at").asText());
        } catch (IllegalArgumentException e) {
            throw new FixtureException(FILE, line, e.getMessage());
        }
        List<String> ids = new ArrayList<>();
        n.get("eventIds").forEach(id -> ids.add(id.asText()));
        DecisionKind kind = DecisionKind.MAIL;
        String reason = null;
        for (Map.Entry<String, DecisionKind> f : KIND_FIELDS.entrySet()) {
            if (n.hasNonNull(f.getKey())) {
                if (kind != DecisionKind.MAIL) {
                    throw new FixtureException(FILE, line, "a decision is one of suppressed, held, fallback, voided "
                            + "or holdout; this line gives more than one");
                }
                kind = f.getValue();
                reason = n.get(f.getKey()).asText();
            }
        }
        if (n.path("holdout").asBoolean(false)) {
            if (kind != DecisionKind.MAIL) {
                throw new FixtureException(FILE, line, "a holdout has no other outcome");
            }
            kind = DecisionKind.HOLDOUT;
        }
        Outcome o = new Outcome(at, n.get("customerId").asText(), n.get("campaign").asText(), n.get("rule").asText(),
                ids.stream().sorted().toList(), kind, reason);
        return new Expectation(line, o, null, null, null, n.has("cart") ? cart(n.get("cart"), line) : null,
                n.get("to"));
    }

    private static Expectation refusal(JsonNode n, int line) throws FixtureException {
        knownKeys(n, line, REFUSAL_KEYS);
        String code = n.get("refused").asText();
        Refusal.Kind kind = Refusal.Kind.ofCode(code);
        List<String> codes = java.util.Arrays.stream(Refusal.Kind.values()).map(Refusal.Kind::code).toList();
        if (kind == null) {
            throw new FixtureException(FILE, line, "'refused' must be one of " + String.join(", ", codes) + ", got '"
                    + code + "'" + Nearest.hint(code, codes, ""));
        }
        if (n.hasNonNull("eventId") == n.hasNonNull("line")) {
            throw new FixtureException(FILE, line, "name the refused event by its 'eventId' or, if it has none, by "
                    + "its 'line' in events.jsonl");
        }
        return new Expectation(line, null, n.hasNonNull("eventId") ? n.get("eventId").asText() : null,
                n.hasNonNull("line") ? n.get("line").asInt() : null, kind, null, null);
    }

    private static void knownKeys(JsonNode n, int line, List<String> known) throws FixtureException {
        Set<String> all = new java.util.LinkedHashSet<>(DECISION_KEYS);
        all.addAll(REFUSAL_KEYS);
        for (var it = n.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                throw new FixtureException(FILE, line, "unknown key '" + key + "'" + Nearest.hint(key, all, "")
                        + " (a line may give " + String.join(", ", known) + ")");
            }
        }
    }

    private static Map<String, Integer> cart(JsonNode cart, int line) throws FixtureException {
        if (!cart.isObject()) {
            throw new FixtureException(FILE, line, "'cart' maps product ids to quantities: {\"mug-1\": 2}");
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        cart.fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue().asInt()));
        return out;
    }
}
