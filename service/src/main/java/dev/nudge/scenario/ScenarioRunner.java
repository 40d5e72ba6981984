package dev.nudge.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.decision.Decision;
import dev.nudge.engine.PartitionEngine;
import dev.nudge.engine.RuleSet;
import dev.nudge.event.EventParser;
import dev.nudge.event.Item;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.CustomerMerged;
import dev.nudge.event.ParseResult;
import dev.nudge.event.Refusal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a folder of {@code fixtures/<scenario>/} through the rules with a pseudo clock and no broker: events in the
 * order of {@code events.jsonl}, each received at its {@code receivedAt} or else when it happened, then time runs on
 * four days so every pending trigger is decided; the decisions and the refused events are compared with
 * {@code expected.jsonl} (see {@link Expectation}). A decision that differs only in its outcome is reported as one
 * line: "expected sent, got suppressed (quiet-hours)".
 */
public final class ScenarioRunner {

    private static final Duration RUN_ON = Duration.ofDays(4);

    private final RuleSet rules;
    private final ObjectMapper json;
    private final EventParser parser;

    public ScenarioRunner(RuleSet rules, ObjectMapper json) {
        this.rules = rules;
        this.json = json;
        this.parser = new EventParser(json);
    }

    /** The scenario folders under {@code dir}; no such folder is an {@link IOException} saying so. */
    public static List<Path> scenarios(Path dir) throws IOException {
        return Scenario.folders(dir);
    }

    /** A refused event as a scenario names it. */
    private record Refused(String eventId, int line, Refusal refusal) {
        String describe() {
            return "refused (" + refusal.kind().code() + ")  " + Expectation.nameOf(eventId, line);
        }
    }

    public ScenarioResult run(Path folder) throws IOException {
        Scenario scenario = Scenario.load(folder, json);
        if (!scenario.errors().isEmpty()) {
            return new ScenarioResult(scenario.name(), scenario.errors());
        }
        Played played = play(scenario);
        List<String> problems = new ArrayList<>();
        compareDecisions(scenario, played.decisions(), problems);
        compareRefusals(scenario, played.refused(), problems);
        return new ScenarioResult(scenario.name(), problems);
    }

    /** The decisions the rules make on a scenario (loaded without errors), as the engine writes them. */
    public List<Decision> decisions(Scenario scenario) {
        return play(scenario).decisions();
    }

    private record Played(List<Decision> decisions, List<Refused> refused) {
    }

    /**
     * What a run shows to an observer (the trace of {@code rules test --trace}): the engine before the first event,
     * each event before it goes in and what came of it, and the moment time runs on after the last one.
     */
    public interface Playback {
        /** The engine the scenario runs on, before any event: the place to attach listeners. */
        default void started(PartitionEngine engine) {
        }

        /** An event about to go in: a line of the scenario ({@code in}), or one forwarded by a merge (null). */
        default void arriving(Scenario.Input in, CustomerEvent event) {
        }

        /** What the engine made of the event {@link #arriving} announced. */
        default void accepted(CustomerEvent event, PartitionEngine.Outcome outcome) {
        }

        /** After the last event, time runs on to {@code until} (epoch ms of event time). */
        default void runningOn(long until) {
        }

        /** What time running on decided. */
        default void ranOn(List<Decision> decisions) {
        }
    }

    /** The decisions the rules make on a scenario (loaded without errors), shown as they happen to {@code watch}. */
    public List<Decision> play(Scenario scenario, Playback watch) {
        return played(scenario, watch).decisions();
    }

    private Played play(Scenario scenario) {
        return played(scenario, new Playback() {
        });
    }

    private Played played(Scenario scenario, Playback watch) {
        List<Decision> decisions = new ArrayList<>();
        List<Refused> refused = new ArrayList<>();
        try (PartitionEngine engine = new PartitionEngine(rules, scenario.settings())) {
            watch.started(engine);
            for (Scenario.Input in : scenario.inputs()) {
                ParseResult parsed = parser.parse(in.event());
                if (parsed instanceof ParseResult.Rejected r) {
                    refused.add(new Refused(in.eventId(), in.line(), Refusal.invalid(r.reason())));
                    continue;
                }
                var event = ((ParseResult.Parsed) parsed).event();
                long received = in.receivedAt() != null ? in.receivedAt().toEpochMilli() : event.getEventTime();
                watch.arriving(in, event);
                PartitionEngine.Outcome o = engine.accept(event, received);
                watch.accepted(event, o);
                if (o.refused() != null) {
                    refused.add(new Refused(in.eventId(), in.line(), o.refused()));
                }
                decisions.addAll(o.decisions());
                Deque<CustomerEvent> next = new ArrayDeque<>(o.forwards());
                CustomerMerged merge = o.refused() == null
                        ? engine.mergeToAnnounce(event, ((ParseResult.Parsed) parsed).previousId()) : null;
                if (merge != null) {
                    next.add(merge);
                }
                // the scenario is one partition: what the pipeline forwards through Kafka comes straight back
                while (!next.isEmpty()) {
                    CustomerEvent forwarded = next.poll();
                    watch.arriving(null, forwarded);
                    PartitionEngine.Outcome f = engine.accept(forwarded, received);
                    watch.accepted(forwarded, f);
                    decisions.addAll(f.decisions());
                    next.addAll(f.forwards());
                }
            }
            long end = Math.max(engine.maxEventTime(), ScenarioTime.START.toEpochMilli()) + RUN_ON.toMillis();
            watch.runningOn(end);
            List<Decision> last = engine.advanceEventTime(end);
            watch.ranOn(last);
            decisions.addAll(last);
        }
        return new Played(decisions, refused);
    }

    private static void compareDecisions(Scenario scenario, List<Decision> decisions, List<String> problems) {
        List<Expectation.Outcome> expected = new ArrayList<>(scenario.expected().stream()
                .filter(e -> e.decision() != null).map(Expectation::decision).toList());
        List<Expectation.Outcome> actual = new ArrayList<>(decisions.stream().map(ScenarioRunner::outcome).toList());
        Comparator<Expectation.Outcome> order = Comparator.comparing(Expectation.Outcome::at)
                .thenComparing(Expectation.Outcome::describe);
        expected.sort(order);
        actual.sort(order);
        List<Expectation.Outcome> missing = new ArrayList<>(expected);
        List<Expectation.Outcome> unexpected = new ArrayList<>();
        for (Expectation.Outcome a : actual) {
            if (!missing.remove(a)) {
                unexpected.add(a);
            }
        }
        // the same decision with another outcome is one difference, not a missing and an unexpected line
        for (Expectation.Outcome e : List.copyOf(missing)) {
            unexpected.stream().filter(a -> a.subject().equals(e.subject())).findFirst().ifPresent(a -> {
                problems.add("other outcome " + e.subject() + ": expected " + e.outcome() + ", got " + a.outcome());
                missing.remove(e);
                unexpected.remove(a);
            });
        }
        missing.forEach(e -> problems.add("missing    " + e.describe()));
        unexpected.forEach(a -> problems.add("unexpected " + a.describe()));
        for (Expectation e : scenario.expected()) {
            if (e.cart() != null) {
                decisions.stream().filter(d -> outcome(d).equals(e.decision())).findFirst()
                        .ifPresent(d -> compareCart(e.decision().describe(), e.cart(), cart(d), problems));
            }
            if (e.to() != null) {
                String expectedTo = e.to().isNull() ? null : e.to().asText();
                decisions.stream().filter(d -> outcome(d).equals(e.decision())).findFirst().ifPresent(d -> {
                    String to = d.recipient() == null ? null : d.recipient().email();
                    if (!java.util.Objects.equals(expectedTo, to)) {
                        problems.add("other address " + e.decision().describe() + ": expected to " + expectedTo
                                + ", got " + to);
                    }
                });
            }
        }
    }

    private static void compareRefusals(Scenario scenario, List<Refused> refused, List<String> problems) {
        List<Expectation> expected = new ArrayList<>(scenario.expected().stream().filter(e -> e.refused() != null)
                .toList());
        for (Refused r : refused) {
            Expectation match = expected.stream().filter(e -> e.refuses(r.eventId(), r.line())).findFirst()
                    .orElse(null);
            if (match == null) {
                problems.add("unexpected " + r.describe() + ": " + r.refusal().reason());
            } else {
                expected.remove(match);
                if (match.refused() != r.refusal().kind()) {
                    problems.add("other refusal " + r.describe() + ": expected " + match.refused().code() + ", got "
                            + r.refusal().kind().code() + ": " + r.refusal().reason());
                }
            }
        }
        expected.forEach(e -> problems.add("missing    refused (" + e.refused().code() + ")  "
                + Expectation.nameOf(e.refusedEventId(), e.refusedLine()) + ": the event was used"));
    }

    private static Expectation.Outcome outcome(Decision d) {
        return new Expectation.Outcome(d.decidedAt(), d.customerId(), d.campaign(), d.rule(),
                d.eventIds().stream().sorted().toList(), d.kind(), d.reason());
    }

    /** Product id to quantity, in the cart's order (the order is shown, not compared). */
    private static Map<String, Integer> cart(Decision d) {
        Map<String, Integer> cart = new LinkedHashMap<>();
        if (d.payload().get("items") instanceof List<?> items) {
            items.stream().map(Item.class::cast).forEach(i -> cart.merge(i.productId(), i.quantity(), Integer::sum));
        }
        return cart;
    }

    private static void compareCart(String decision, Map<String, Integer> expected, Map<String, Integer> actual,
                                    List<String> problems) {
        if (!expected.equals(actual)) {
            problems.add("other cart " + decision + ": expected " + expected + " but got " + actual);
        }
    }
}
