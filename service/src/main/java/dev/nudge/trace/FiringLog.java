package dev.nudge.trace;

import dev.nudge.event.CustomerEvent;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.BeforeMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.event.rule.DefaultRuleRuntimeEventListener;
import org.kie.api.event.rule.ObjectInsertedEvent;
import org.kie.api.event.rule.RuleRuntimeEventListener;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Every rule fired in a session, with the event time it fired at, the customers and mails its facts belong to, and
 * whether it fired because time passed or because of the event that was going in: the engine first moves time to the
 * new event (timers fire), then inserts it (the rules it makes true fire).
 */
final class FiringLog extends DefaultAgendaEventListener {

    /** One rule fired: in the {@code call}-th step of the run, after the event went in ({@code onEvent}) or before. */
    record Firing(String rule, long at, Set<String> customers, Set<String> candidateIds, int call, boolean onEvent) {
    }

    private final List<Firing> firings = new ArrayList<>();
    private int call = -1;
    private boolean onEvent;
    private List<Object> matched = List.of();

    /** Sees the event go in: what fires after that is its consequence. */
    private final RuleRuntimeEventListener facts = new DefaultRuleRuntimeEventListener() {
        @Override
        public void objectInserted(ObjectInsertedEvent event) {
            // inserted from outside a rule: the event itself (or the whole cart a change makes)
            if (event.getRule() == null && event.getObject() instanceof CustomerEvent) {
                onEvent = true;
            }
        }
    };

    RuleRuntimeEventListener facts() {
        return facts;
    }

    /** A new step of the run begins: an event arrives, or time runs on after the last one. */
    void nextCall() {
        call++;
        onEvent = false;
    }

    int call() {
        return call;
    }

    /** The facts as they were matched: the consequence may delete or replace them. */
    @Override
    public void beforeMatchFired(BeforeMatchFiredEvent event) {
        matched = new ArrayList<>(event.getMatch().getObjects());
    }

    @Override
    public void afterMatchFired(AfterMatchFiredEvent event) {
        String rule = event.getMatch().getRule().getName();
        if (rule.startsWith(TriggerProbes.PREFIX)) {
            return;
        }
        List<Object> objects = matched;
        firings.add(new Firing(rule, event.getKieRuntime().getSessionClock().getCurrentTime(),
                Owners.customers(objects), Owners.candidateIds(objects), call, onEvent));
    }

    List<Firing> firings() {
        return firings;
    }
}
