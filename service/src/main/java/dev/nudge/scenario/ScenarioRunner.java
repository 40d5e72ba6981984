package dev.nudge.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nudge.engine.Decision;
import dev.nudge.engine.EngineSettings;
import dev.nudge.config.NudgeConfig;
import dev.nudge.engine.Holdouts;
import dev.nudge.engine.QuietHours;
import dev.nudge.engine.PartitionEngine;
import dev.nudge.engine.RuleSet;
import dev.nudge.event.EventParser;
import dev.nudge.event.Item;
import dev.nudge.event.ParseResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs a folder of {@code fixtures/<scenario>/} through the rules with a pseudo clock and no broker: events in the
 * order of {@code events.jsonl}, then time runs on four days so every pending trigger is decided, and the
 * decisions are compared with {@code expected.jsonl}; a decision that was made but not to be sent is expected with
 * {@code "suppressed": "<reason>"}, a mail held back with {@code "held": "<reason>"} (at the time the hold began), and a
 * mail sent although a guard could not be satisfied with {@code "fallback": "<reason>"}, and the revocation of a mail
 * decided earlier (the customer bought before the send stage delivered it) with {@code "voided": "<reason>"}. An expected line may also say what the mail's cart holds,
 * {@code "cart": {"kettle-1": 1, "mug-1": 2}} (product id to quantity), for stories about what a cart contains.
 */
public final class ScenarioRunner {

    /** How late an event may arrive and still count, the same default as the service. */
    public static final Duration LATENESS = Duration.ofMinutes(1);
    private static final Duration DEDUP_WINDOW = Duration.ofHours(24);
    /** Events this much older than the newest of their partition trigger no mail: the service's default. */
    public static final Duration STALE_AFTER = Duration.ofHours(1);
    private static final Duration RUN_ON = Duration.ofDays(4);
    /** The service's default quiet hours, 21:00 to 08:00, in UTC unless the customer's profile names a zone. */
    public static final QuietHours QUIET_HOURS = QuietHours.parse(NudgeConfig.DEFAULT_QUIET_HOURS, "UTC");
    /** The service's default: mails cancelled by checkouts wait while checkouts are an hour behind. */
    public static final Map<String, Duration> SOURCE_MAX_LAG =
            Map.of("CheckoutCompleted", NudgeConfig.DEFAULT_CHECKOUT_MAX_LAG);

    private final RuleSet rules;
    private final ObjectMapper json;
    private final EventParser parser;

    public ScenarioRunner(RuleSet rules, ObjectMapper json) {
        this.rules = rules;
        this.json = json;
        this.parser = new EventParser(json);
    }

    /** The scenario folders under {@code dir}: those holding an {@code events.jsonl}. */
    public static List<Path> scenarios(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.exists(p.resolve("events.jsonl"))).sorted().toList();
        }
    }

    public ScenarioResult run(Path scenario) throws IOException {
        String name = scenario.getFileName().toString();
        List<String> problems = new ArrayList<>();
        List<Decision> decisions = new ArrayList<>();
        try (PartitionEngine engine = new PartitionEngine(rules,
                new EngineSettings(LATENESS, DEDUP_WINDOW, STALE_AFTER, Holdouts.NONE, QUIET_HOURS, SOURCE_MAX_LAG,
                        EngineSettings.DEFAULT_MAX_CLOCK_SKEW))) {
            int lineNo = 0;
            for (String line : Files.readAllLines(scenario.resolve("events.jsonl"))) {
                lineNo++;
                if (line.isBlank() || line.trim().startsWith("//")) {
                    continue;
                }
                ParseResult parsed = parser.parse(withTimestamp(json.readTree(line)));
                if (parsed instanceof ParseResult.Rejected r) {
                    problems.add("events.jsonl line " + lineNo + ": " + r.reason());
                    continue;
                }
                decisions.addAll(engine.accept(((ParseResult.Parsed) parsed).event()).decisions());
            }
            long end = Math.max(engine.maxEventTime(), ScenarioTime.START.toEpochMilli()) + RUN_ON.toMillis();
            decisions.addAll(engine.advanceEventTime(end));
        }
        // by time, and by text within one instant: the order of decisions made at the same instant means nothing
        Comparator<Decision> byTime = Comparator.comparing(Decision::decidedAt);
        List<String> actual = decisions.stream().sorted(byTime.thenComparing(this::describe))
                .map(this::describe).toList();
        List<JsonNode> expectedLines = expected(scenario.resolve("expected.jsonl"));
        List<String> expected = expectedLines.stream()
                .sorted(Comparator.comparing((JsonNode n) -> ScenarioTime.parse(n.path("at").asText()))
                        .thenComparing(this::describe))
                .map(this::describe).toList();
        for (String e : expected) {
            if (!actual.contains(e)) {
                problems.add("missing    " + e);
            }
        }
        for (String a : actual) {
            if (!expected.contains(a)) {
                problems.add("unexpected " + a);
            }
        }
        if (problems.isEmpty() && !actual.equals(expected)) {
            problems.add("same decisions, other order or count: expected " + expected + " but got " + actual);
        }
        for (JsonNode e : expectedLines) {
            if (e.has("cart")) {
                decisions.stream().filter(d -> describe(d).equals(describe(e))).findFirst()
                        .ifPresent(d -> compareCart(describe(e), cart(e.get("cart")),
                                cart(d), problems));
            }
        }
        return new ScenarioResult(name, problems);
    }

    /** Lets fixtures say {@code "at": "00:29:59"} instead of a full timestamp; {@code note} is for people. */
    private JsonNode withTimestamp(JsonNode node) {
        if (node instanceof ObjectNode o) {
            JsonNode at = o.remove("at");
            o.remove("note");
            if (at != null && !o.has("timestamp")) {
                o.put("timestamp", ScenarioTime.parse(at.asText()).toString());
            }
        }
        return node;
    }

    private List<JsonNode> expected(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank() && !line.trim().startsWith("//")) {
                out.add(json.readTree(line));
            }
        }
        return out;
    }

    private String describe(JsonNode n) {
        List<String> ids = new ArrayList<>();
        n.path("eventIds").forEach(id -> ids.add(id.asText()));
        return line(ScenarioTime.format(ScenarioTime.parse(n.path("at").asText())), n.path("customerId").asText(),
                n.path("campaign").asText(), n.path("rule").asText(), ids.stream().sorted().toList(),
                text(n, "suppressed"), text(n, "held"), text(n, "fallback"), text(n, "voided"));
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    /** Product id to quantity, in the cart's order (the order is shown, not compared). */
    private static Map<String, Integer> cart(Decision d) {
        Map<String, Integer> cart = new LinkedHashMap<>();
        if (d.payload().get("items") instanceof List<?> items) {
            items.stream().map(Item.class::cast).forEach(i -> cart.merge(i.productId(), i.quantity(), Integer::sum));
        }
        return cart;
    }

    private static Map<String, Integer> cart(JsonNode expected) {
        Map<String, Integer> cart = new LinkedHashMap<>();
        expected.fields().forEachRemaining(f -> cart.put(f.getKey(), f.getValue().asInt()));
        return cart;
    }

    private static void compareCart(String decision, Map<String, Integer> expected, Map<String, Integer> actual,
                                    List<String> problems) {
        if (!expected.equals(actual)) {
            problems.add("other cart " + decision + ": expected " + expected + " but got " + actual);
        }
    }

    private String describe(Decision d) {
        return line(ScenarioTime.format(d.decidedAt()), d.customerId(), d.campaign(), d.rule(), d.eventIds(),
                d.suppressed(), d.held(), d.fallbackReason(), d.voided());
    }

    /**
     * A suppressed decision reads "suppressed (reason)" at the end, a hold "held (reason)" and a fallback mail
     * "fallback (reason)", and a revocation of a mail decided earlier "voided (reason)", so none of them passes for a
     * plain mail.
     */
    private static String line(String at, String customer, String campaign, String rule, List<String> ids,
                               String suppressed, String held, String fallback, String voided) {
        return "at " + at + "  " + customer + "  " + campaign + " (" + rule + ")  events " + ids
                + (suppressed == null ? "" : "  suppressed (" + suppressed + ")")
                + (held == null ? "" : "  held (" + held + ")")
                + (fallback == null ? "" : "  fallback (" + fallback + ")")
                + (voided == null ? "" : "  voided (" + voided + ")");
    }
}
