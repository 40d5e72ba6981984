package dev.nudge.explain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionJson;
import dev.nudge.decision.DecisionKind;
import dev.nudge.event.ConsentSignal;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.CustomerProfile;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The recent decisions of each customer, mailed or not, with what became of them: the answer to "why did this
 * customer (not) get the mail?", with what else is known of them: the events received and the consent state. Bounded:
 * the newest entries of the customers most recently heard of or asked about.
 */
public final class DecisionLog {

    private static final com.fasterxml.jackson.databind.node.JsonNodeFactory JSON =
            com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;

    private final DecisionJson json;
    private final int maxCustomers;
    private final int perCustomer;
    // access order: the customer decided about longest ago is forgotten first
    private final LinkedHashMap<String, Customer> byCustomer;
    // which customer a kept decision is about: a preview asks by decision id alone
    private final Map<String, String> customerOfDecision = new java.util.HashMap<>();
    private volatile boolean caughtUp;

    /**
     * One customer's decisions, what the send stage last did with each (by decision id, newest last), and what else
     * Nudge knows of them.
     */
    private record Customer(Deque<ObjectNode> entries, LinkedHashMap<String, ObjectNode> deliveries,
                            CustomerFacts facts) {
        Customer() {
            this(new ArrayDeque<>(), new LinkedHashMap<>(), new CustomerFacts());
        }
    }

    public DecisionLog(int maxCustomers, int perCustomer, DecisionJson json) {
        this.json = json;
        this.maxCustomers = maxCustomers;
        this.perCustomer = perCustomer;
        this.byCustomer = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Customer> eldest) {
                boolean forget = size() > DecisionLog.this.maxCustomers;
                if (forget) {
                    eldest.getValue().entries().forEach(e -> customerOfDecision.remove(e.path("decisionId").asText()));
                }
                return forget;
            }
        };
    }

    /**
     * Records a decision read from the decisions topic ({@code fromAuditTopic} false) or the audit topic. A holdout is
     * on both; it is kept once.
     */
    public synchronized void add(Decision decision, boolean fromAuditTopic, long recordTimestamp) {
        ObjectNode entry = json.tree(decision);
        entry.put("topic", fromAuditTopic ? "audit" : "decisions");
        entry.put("recordedAt", java.time.Instant.ofEpochMilli(recordTimestamp).toString());
        Deque<ObjectNode> entries = byCustomer.computeIfAbsent(decision.customerId(), c -> new Customer()).entries();
        for (ObjectNode e : entries) {
            if (same(e, entry)) {
                return;
            }
        }
        entries.addLast(entry);
        customerOfDecision.put(decision.decisionId(), decision.customerId());
        while (entries.size() > perCustomer) {
            String gone = entries.removeFirst().path("decisionId").asText();
            if (entries.stream().noneMatch(e -> e.path("decisionId").asText().equals(gone))) {
                customerOfDecision.remove(gone);
            }
        }
    }

    /**
     * A kept decision by its id: the mail when the log has it, else a holdout, else the newest other record of it
     * that carries the mail's content (held, suppressed); empty when the log does not (or no longer) keep it.
     */
    public synchronized Optional<Decision> find(String decisionId) {
        String customerId = customerOfDecision.get(decisionId);
        Customer customer = customerId == null ? null : byCustomer.get(customerId);
        if (customer == null) {
            return Optional.empty();
        }
        ObjectNode best = null;
        int bestRank = Integer.MAX_VALUE;
        for (ObjectNode e : customer.entries()) {
            if (!e.path("decisionId").asText().equals(decisionId)) {
                continue;
            }
            DecisionKind kind = DecisionKind.ofCode(e.path("kind").asText());
            int rank = kind.mails() ? 0 : kind == DecisionKind.HOLDOUT ? 1 : kind == DecisionKind.VOIDED ? 3 : 2;
            if (rank <= bestRank) {
                best = e;
                bestRank = rank;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        try {
            ObjectNode record = best.deepCopy();
            // the log's own notes, not part of the decision
            record.remove(List.of("topic", "recordedAt"));
            return Optional.of(json.read(record));
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Records what the send stage did with a decision, from its ledger ({@code sent}, {@code failed} with the relay's
     * answer, {@code void}, ...); the decision's entries show it as {@code delivery}, whichever was read first.
     */
    public synchronized void delivery(JsonNode ledgerEntry) {
        if (!ledgerEntry.hasNonNull("customerId") || !ledgerEntry.hasNonNull("decisionId")) {
            return;
        }
        ObjectNode delivery = JSON.objectNode().put("state", ledgerEntry.path("state").asText())
                .put("at", ledgerEntry.path("at").asText());
        if (ledgerEntry.hasNonNull("detail")) {
            delivery.put("detail", ledgerEntry.get("detail").asText());
        }
        var deliveries = byCustomer.computeIfAbsent(ledgerEntry.get("customerId").asText(), c -> new Customer())
                .deliveries();
        String id = ledgerEntry.get("decisionId").asText();
        deliveries.remove(id);
        deliveries.put(id, delivery);
        while (deliveries.size() > perCustomer) {
            deliveries.remove(deliveries.keySet().iterator().next());
        }
    }

    /** Records that an event of the customer was received at {@code receivedAt} (the events topic's record time). */
    public synchronized void event(String customerId, long receivedAt) {
        byCustomer.computeIfAbsent(customerId, c -> new Customer()).facts().event(receivedAt);
    }

    /** Records a profile or consent signal from the customers topic; other events are not customer state. */
    public synchronized void state(CustomerEvent event) {
        if (event instanceof CustomerProfile p) {
            byCustomer.computeIfAbsent(p.customerId(), c -> new Customer()).facts().profile(p);
        } else if (event instanceof ConsentSignal s) {
            byCustomer.computeIfAbsent(s.customerId(), c -> new Customer()).facts().signal(s);
        }
    }

    /**
     * What Nudge knows of the customer: the events it received, the consent state, and the decisions as {@link #of}
     * lists them, each with the sentence that {@code says} what happened; empty for a customer it knows nothing of
     * (no event, decision, profile or consent signal read).
     */
    public synchronized Optional<ObjectNode> explain(String customerId) {
        Customer customer = byCustomer.get(customerId);
        if (customer == null) {
            return Optional.empty();
        }
        ObjectNode out = JSON.objectNode();
        customer.facts().describe(out);
        var decisions = out.putArray("decisions");
        for (ObjectNode e : of(customerId)) {
            e.put("says", Explanation.says(e));
            decisions.add(e);
        }
        return Optional.of(out);
    }

    private static boolean same(ObjectNode a, ObjectNode b) {
        return a.path("decisionId").equals(b.path("decisionId")) && a.path("kind").equals(b.path("kind"))
                && a.path("decidedAt").equals(b.path("decidedAt"));
    }

    /** The customer's recent entries, newest decision first. */
    public synchronized List<ObjectNode> of(String customerId) {
        Customer customer = byCustomer.get(customerId);
        List<ObjectNode> out = new ArrayList<>();
        if (customer != null) {
            Iterator<ObjectNode> it = customer.entries().descendingIterator();
            while (it.hasNext()) {
                ObjectNode e = it.next().deepCopy();
                DecisionKind kind = DecisionKind.ofCode(e.path("kind").asText());
                ObjectNode delivery = customer.deliveries().get(e.path("decisionId").asText());
                // holds and suppressions never reach the send stage; a mail and a holdout do
                boolean sendStageSawIt = kind.mails() || kind == DecisionKind.HOLDOUT;
                if (delivery != null && sendStageSawIt) {
                    e.set("delivery", delivery.deepCopy());
                }
                e.put("outcome", Explanation.outcome(kind, e.path("reason").asText(null),
                        sendStageSawIt ? delivery : null));
                out.add(e);
            }
        }
        out.sort((x, y) -> y.path("decidedAt").asText().compareTo(x.path("decidedAt").asText()));
        return out;
    }

    /** True once the topics have been read up to where they ended when reading began. */
    public boolean caughtUp() {
        return caughtUp;
    }

    void caughtUp(boolean read) {
        caughtUp = read;
    }

    public synchronized int customers() {
        return byCustomer.size();
    }
}
