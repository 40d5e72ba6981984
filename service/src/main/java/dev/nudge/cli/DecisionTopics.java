package dev.nudge.cli;

import dev.nudge.config.Topics;
import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionJson;
import dev.nudge.decision.DecisionKind;
import dev.nudge.event.Json;
import dev.nudge.kafka.PartitionReader;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The decisions of the decisions and audit topics as they are now, read outside any consumer group: what
 * {@code nudge preview} looks decisions up in. Records that are not decisions are skipped.
 */
final class DecisionTopics {

    /** One decision as found, and whether the topics also carry its revocation (the customer bought meanwhile). */
    record Found(Decision decision, boolean voided) {
    }

    private final List<Decision> decisions = new ArrayList<>();
    private final List<Decision> audit = new ArrayList<>();

    private DecisionTopics() {
    }

    static DecisionTopics read(String bootstrap, Topics topics) {
        DecisionTopics t = new DecisionTopics();
        DecisionJson json = new DecisionJson(Json.mapper());
        PartitionReader.readTopic(bootstrap, topics.decisions(), r -> add(json, r.value(), t.decisions));
        PartitionReader.readTopic(bootstrap, topics.audit(), r -> add(json, r.value(), t.audit));
        return t;
    }

    private static void add(DecisionJson json, byte[] value, List<Decision> into) {
        if (value == null) {
            return;
        }
        try {
            into.add(json.read(value));
        } catch (IOException | RuntimeException e) {
            // not a decision (a tombstone, a foreign record): nothing to preview
        }
    }

    /**
     * The decision of this id, or of the one id that starts with it (the console shows 8 characters): the mail from
     * the decisions topic when there is one, else a holdout, else the latest audit record that carries the mail's
     * content (held, suppressed).
     *
     * @throws Mistakes.UserError when no decision or several match
     */
    Found find(String id) {
        List<Decision> all = new ArrayList<>(decisions);
        all.addAll(audit);
        List<Decision> matching = all.stream().filter(d -> d.decisionId().equals(id)).toList();
        if (matching.isEmpty()) {
            matching = all.stream().filter(d -> d.decisionId().startsWith(id)).toList();
            long ids = matching.stream().map(Decision::decisionId).distinct().count();
            if (ids > 1) {
                throw new Mistakes.UserError(ids + " decisions start with " + id + ": give more of the id");
            }
        }
        if (matching.isEmpty()) {
            return null;
        }
        List<Decision> found = matching;
        boolean voided = found.stream().anyMatch(d -> d.kind() == DecisionKind.VOIDED);
        Decision best = found.stream().filter(d -> d.kind().mails()).findFirst()
                .or(() -> found.stream().filter(d -> d.kind() == DecisionKind.HOLDOUT).findFirst())
                .or(() -> found.stream().filter(d -> d.kind() != DecisionKind.VOIDED && !d.payload().isEmpty())
                        .max(Comparator.comparing(Decision::decidedAt)))
                .orElse(found.get(found.size() - 1));
        return new Found(best, voided);
    }

    /** The campaign's last {@code n} mails and holdouts of the decisions topic, oldest first. */
    List<Decision> last(String campaign, int n) {
        Map<String, Decision> byId = new LinkedHashMap<>();
        for (Decision d : decisions) {
            if (campaign.equals(d.campaign()) && (d.kind().mails() || d.kind() == DecisionKind.HOLDOUT)) {
                byId.putIfAbsent(d.decisionId(), d);
            }
        }
        List<Decision> sorted = byId.values().stream().sorted(Comparator.comparing(Decision::decidedAt)).toList();
        return sorted.subList(Math.max(0, sorted.size() - n), sorted.size());
    }
}
