package dev.nudge.trace;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionKind;
import dev.nudge.engine.PartitionEngine;
import dev.nudge.engine.RuleSet;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.CustomerMerged;
import dev.nudge.event.EventParser;
import dev.nudge.event.ParseResult;
import dev.nudge.scenario.Scenario;
import dev.nudge.scenario.ScenarioRunner;
import dev.nudge.trace.FiringLog.Firing;
import dev.nudge.trace.ScenarioTrace.Fired;
import dev.nudge.trace.ScenarioTrace.Step;
import dev.nudge.trace.ScenarioTrace.Verdict;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a scenario as {@code rules test} does, watching one customer: which rules fired for them at each of their
 * events and when time passed, what the guards decided, and for each trigger that never fired for them, the first
 * of its conditions that never matched (see {@link TriggerProbes}).
 */
public final class CustomerTrace {

    private final RuleSet rules;
    private final TriggerProbes.Probed probed;
    private final ObjectMapper json;
    private final EventParser parser;

    /** Compiles the probes of {@code rules}' triggers: about as long as compiling the rules. */
    public CustomerTrace(RuleSet rules, ObjectMapper json) {
        this.rules = rules;
        this.probed = TriggerProbes.of(rules);
        this.json = json;
        this.parser = new EventParser(json);
    }

    /** One step of the run as the scenario runner shows it: an event (null when time runs on at the end). */
    private record Call(Scenario.Input in, CustomerEvent event, PartitionEngine.Outcome outcome,
                        List<Decision> decisions) {
    }

    /** The trace of {@code customer} through the scenario (loaded without errors); null when no event is theirs. */
    public ScenarioTrace trace(Scenario scenario, String customer) {
        if (!appearsIn(scenario, customer)) {
            return null;
        }
        FiringLog log = new FiringLog();
        ProbeHits hits = new ProbeHits();
        List<Call> calls = new ArrayList<>();
        RuleSet traced = probed.rules() == null ? rules : probed.rules();
        List<Decision> decided = new ScenarioRunner(traced, json).play(scenario, new ScenarioRunner.Playback() {
            @Override
            public void started(PartitionEngine engine) {
                engine.watch(log, log.facts());
                if (probed.rules() != null) {
                    engine.setGlobal(TriggerProbes.GLOBAL, hits);
                }
            }

            @Override
            public void arriving(Scenario.Input in, CustomerEvent event) {
                log.nextCall();
                calls.add(new Call(in, event, null, List.of()));
            }

            @Override
            public void accepted(CustomerEvent event, PartitionEngine.Outcome outcome) {
                Call c = calls.get(log.call());
                calls.set(log.call(), new Call(c.in(), event, outcome, outcome.decisions()));
            }

            @Override
            public void runningOn(long until) {
                log.nextCall();
                calls.add(new Call(null, null, null, List.of()));
            }

            @Override
            public void ranOn(List<Decision> decisions) {
                calls.set(log.call(), new Call(null, null, null, decisions));
            }
        });
        List<Decision> plain = new ScenarioRunner(rules, json).decisions(scenario);
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            steps.addAll(steps(calls.get(i), i, log.firings(), customer));
        }
        return new ScenarioTrace(scenario.name(), customer, steps, verdicts(log.firings(), hits, customer),
                !plain.equals(decided));
    }

    /** The triggers of the rules, as the probes found them. */
    public List<TriggerProbes.Trigger> triggers() {
        return probed.triggers();
    }

    private boolean appearsIn(Scenario scenario, String customer) {
        return scenario.inputs().stream().map(in -> parser.parse(in.event()))
                .anyMatch(p -> p instanceof ParseResult.Parsed ok && customer.equals(ok.event().customerId()));
    }

    /** What one call showed of the customer: time passing (one step per instant), then their event. */
    private static List<Step> steps(Call call, int index, List<Firing> all, String customer) {
        Map<Long, List<Firing>> timers = new LinkedHashMap<>();
        List<Firing> onEvent = new ArrayList<>();
        for (Firing f : all) {
            if (f.call() == index && f.customers().contains(customer)) {
                (f.onEvent() ? onEvent : timers.computeIfAbsent(f.at(), t -> new ArrayList<>())).add(f);
            }
        }
        List<Step> steps = new ArrayList<>();
        List<Firing> order = new ArrayList<>();
        List<Fired> lines = new ArrayList<>();
        timers.forEach((at, fs) -> {
            List<Fired> fired = new ArrayList<>();
            fs.forEach(f -> {
                fired.add(new Fired(f.rule(), new ArrayList<>()));
                order.add(f);
            });
            lines.addAll(fired);
            steps.add(new Step(Instant.ofEpochMilli(at), "time passes", null, fired));
        });
        boolean theirs = call.event() != null && customer.equals(call.event().customerId());
        if (theirs || !onEvent.isEmpty()) {
            List<Fired> fired = new ArrayList<>();
            onEvent.forEach(f -> {
                fired.add(new Fired(f.rule(), new ArrayList<>()));
                order.add(f);
            });
            lines.addAll(fired);
            steps.add(new Step(call.event().timestamp(), label(call, theirs),
                    call.in() == null ? null : call.in().note(), fired));
        }
        boolean[] used = new boolean[order.size()];
        for (Decision d : call.decisions()) {
            if (!customer.equals(d.customerId())) {
                continue;
            }
            int at = decider(d, order, used);
            if (at >= 0) {
                used[at] = true;
                lines.get(at).decided().add(describe(d));
            } else {
                if (steps.isEmpty()) {
                    steps.add(new Step(d.decidedAt(), "time passes", null, new ArrayList<>()));
                }
                steps.get(steps.size() - 1).fired().add(new Fired(null, new ArrayList<>(List.of(describe(d)))));
            }
        }
        return steps;
    }

    /**
     * The firing that made {@code d}, -1 if none: a revocation names its rule; any other decision is the guard's, the
     * last rule by the decision's time that matched its proposed mail. One that has made no other decision first.
     */
    private static int decider(Decision d, List<Firing> order, boolean[] used) {
        int any = -1;
        int free = -1;
        for (int i = 0; i < order.size(); i++) {
            Firing f = order.get(i);
            boolean made = d.kind() == DecisionKind.VOIDED ? f.rule().equals(d.rule())
                    : f.candidateIds().contains(d.decisionId());
            if (made && f.at() <= d.decidedAt().toEpochMilli()) {
                any = i;
                free = used[i] ? free : i;
            }
        }
        return free >= 0 ? free : any;
    }

    private static String label(Call call, boolean theirs) {
        CustomerEvent e = call.event();
        String label = e.type() + " " + e.eventId();
        if (!theirs) {
            label += " of " + e.customerId();
        } else if (e instanceof CustomerMerged m) {
            label += " into " + m.mergedInto();
        } else if (call.in() == null) {
            label += " (forwarded)";
        }
        PartitionEngine.Outcome o = call.outcome();
        if (o != null && o.refused() != null) {
            label += "  refused (" + o.refused().kind().code() + ")";
        } else if (o != null && o.duplicate()) {
            label += "  duplicate, ignored";
        }
        return label;
    }

    static String describe(Decision d) {
        return d.kind().code() + (d.reason() == null ? "" : " (" + d.reason() + ")") + "  " + d.campaign();
    }

    private List<Verdict> verdicts(List<Firing> firings, ProbeHits hits, String customer) {
        List<Verdict> out = new ArrayList<>();
        for (TriggerProbes.Trigger t : probed.triggers()) {
            if (firings.stream().anyMatch(f -> f.rule().equals(t.rule()) && f.customers().contains(customer))) {
                continue;
            }
            if (t.untraceable() != null) {
                out.add(new Verdict(t, 0, null, t.untraceable()));
            } else if (hits.unowned(t.rule())) {
                out.add(new Verdict(t, 0, null, "its conditions matched facts that belong to no customer"));
            } else {
                int best = hits.best(customer, t.rule());
                out.add(new Verdict(t, best, best < t.conditions().size() ? t.conditions().get(best) : null, null));
            }
        }
        return out;
    }
}
