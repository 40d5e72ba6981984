package dev.nudge.engine;

import org.drools.base.base.ObjectType;
import org.drools.base.rule.EntryPointId;
import org.drools.core.common.DefaultEventHandle;
import org.drools.core.common.InternalFactHandle;
import org.drools.core.common.ReteEvaluator;
import org.drools.core.impl.InternalRuleBase;
import org.drools.core.impl.WorkingMemoryReteExpireAction;
import org.drools.core.reteoo.ObjectTypeNode;
import org.drools.core.reteoo.Rete;
import org.kie.api.KieBase;
import org.kie.api.event.rule.ObjectDeletedEvent;
import org.kie.api.event.rule.ObjectInsertedEvent;
import org.kie.api.event.rule.ObjectUpdatedEvent;
import org.kie.api.event.rule.RuleRuntimeEventListener;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.WeakHashMap;

/**
 * Expires a session's events at their {@code @expires} on the engine's own schedule, instead of one Drools timer job
 * per fact: the same expire action Drools would run, at the same event time, but kept in first-in-first-out lanes.
 *
 * <p>Drools schedules every event's expiry as a job in the session's timer queue, a priority queue it also scans whole
 * every 1,000 cancellations; with a few hundred thousand events kept, that queue cost about a fifth of the rules
 * thread. Events of one type expire a fixed span after their time and arrive almost in time order, so a lane per span
 * is already sorted; the few that arrive out of order wait in a small heap of their own.
 */
final class ExpirySweep implements RuleRuntimeEventListener {

    /**
     * The spans taken over from Drools, per rule base (the one its nodes belong to, not a session-aware wrapper around
     * it): its object type nodes no longer schedule expiry jobs, so every session of it must find the spans here. Held
     * by entry point and object type, values that do not lead back to the rule base, so the weak key can go.
     */
    private static final Map<InternalRuleBase, Map<Node, Long>> TAKEN = new WeakHashMap<>();

    /** An object type node by what it is, not by identity (identity would hold the node, and it the rule base). */
    private record Node(EntryPointId entryPoint, ObjectType type) {
        static Node of(ObjectTypeNode node) {
            return new Node(node.getEntryPoint(), node.getObjectType());
        }
    }

    private final ReteEvaluator session;
    private Map<ObjectTypeNode, Long> spans;
    private final Map<Long, Lane> lanes = new HashMap<>();
    private final List<Lane> laneList = new ArrayList<>();
    private final PriorityQueue<Due> outOfOrder = new PriorityQueue<>();
    private long deletedSinceCompaction;

    ExpirySweep(KieBase rules, ReteEvaluator session) {
        this.session = session;
        this.spans = takeOver(rules);
    }

    /**
     * Takes over the expiry of every object type node of {@code rules} that has one, once per KIE base and again after
     * an update (which restores the spans Drools computed); returns a snapshot of the spans taken.
     */
    static Map<ObjectTypeNode, Long> takeOver(KieBase rules) {
        Rete network = ((InternalRuleBase) rules).getRete();
        synchronized (TAKEN) {
            Map<Node, Long> taken = TAKEN.computeIfAbsent(network.getRuleBase(), k -> new HashMap<>());
            // by identity for the insert path, which gets the very nodes from the session's type registry
            Map<ObjectTypeNode, Long> spans = new IdentityHashMap<>();
            for (ObjectTypeNode node : network.getObjectTypeNodes()) {
                Node key = Node.of(node);
                long span = node.getExpirationOffset();
                // what Drools itself treats as "never expires"
                if (span != -1 && span != Long.MAX_VALUE) {
                    taken.put(key, span);
                    node.setExpirationOffset(-1);
                }
                Long kept = taken.get(key);
                if (kept != null) {
                    spans.put(node, kept);
                }
            }
            return spans;
        }
    }

    /** Re-reads the spans after the rules were updated in place. */
    void rulesChanged(KieBase rules) {
        spans = takeOver(rules);
    }

    @Override
    public void objectInserted(ObjectInsertedEvent event) {
        InternalFactHandle handle = (InternalFactHandle) event.getFactHandle();
        if (!handle.isEvent()) {
            return;
        }
        long now = session.getTimerService().getCurrentTime();
        // the nodes Drools itself would schedule an expiry for (a type read through a supertype passes several)
        ObjectTypeNode[] nodes = handle.getEntryPoint(session).getObjectTypeConfigurationRegistry()
                .getOrCreateObjectTypeConf(handle.getEntryPointId(), handle.getObject()).getObjectTypeNodes();
        DefaultEventHandle eventHandle = (DefaultEventHandle) handle;
        for (ObjectTypeNode node : nodes) {
            Long span = spans.get(node);
            if (span == null) {
                continue;
            }
            // made at insert, as Drools does: it counts the nodes a fact must expire from before it is gone
            WorkingMemoryReteExpireAction expire = new WorkingMemoryReteExpireAction(eventHandle, node);
            long end = eventHandle.getEndTimestamp() + span;
            long at = Math.max(now, end >= 0 ? end : Long.MAX_VALUE);
            if (at <= now) {
                // born expired: Drools lets it through the network once and then retracts it
                session.addPropagation(expire);
            } else {
                add(span, at, expire);
            }
        }
    }

    private void add(long span, long at, WorkingMemoryReteExpireAction expire) {
        Lane lane = lanes.get(span);
        if (lane == null) {
            lane = new Lane();
            lanes.put(span, lane);
            laneList.add(lane);
        }
        if (!lane.offer(at, expire)) {
            outOfOrder.add(new Due(at, expire));
        }
    }

    /** The earliest time a kept event expires, or {@link Long#MAX_VALUE} when none is kept. */
    long nextDue() {
        long next = outOfOrder.isEmpty() ? Long.MAX_VALUE : outOfOrder.peek().at;
        for (Lane lane : laneList) {
            next = Math.min(next, lane.headTime());
        }
        return next;
    }

    /** Hands Drools the expiry of every event due by {@code time}; they take effect at its next propagation flush. */
    void expireUpTo(long time) {
        for (Lane lane : laneList) {
            while (lane.headTime() <= time) {
                session.addPropagation(lane.poll());
            }
        }
        while (!outOfOrder.isEmpty() && outOfOrder.peek().at <= time) {
            session.addPropagation(outOfOrder.poll().expire);
        }
    }

    /** Events kept for expiry, whether still in the session or deleted before their time. */
    int pending() {
        int n = outOfOrder.size();
        for (Lane lane : laneList) {
            n += lane.size();
        }
        return n;
    }

    @Override
    public void objectDeleted(ObjectDeletedEvent event) {
        // a deleted event's expiry waits in its lane, holding the event (about 200 bytes with its handle): once an
        // eighth as many were deleted as are waiting, the lanes drop them; a sequential pass over arrays, so the
        // cost per delete stays a few reads
        if (++deletedSinceCompaction > Math.max(1_000, pending() / 8)) {
            deletedSinceCompaction = 0;
            for (Lane lane : laneList) {
                lane.dropDeleted();
            }
            outOfOrder.removeIf(d -> !d.expire.getFactHandle().isValid());
        }
    }

    @Override
    public void objectUpdated(ObjectUpdatedEvent event) {
        // an update keeps the event's time, so its expiry stands
    }

    /** An expiry that arrived out of time order. */
    private record Due(long at, WorkingMemoryReteExpireAction expire) implements Comparable<Due> {
        @Override
        public int compareTo(Due o) {
            return Long.compare(at, o.at);
        }
    }

    /** Expiries of one span in time order: a ring of times and actions, no object per entry beyond the action. */
    private static final class Lane {
        private long[] times = new long[64];
        private WorkingMemoryReteExpireAction[] actions = new WorkingMemoryReteExpireAction[64];
        private int head;
        private int size;

        /** False when {@code at} is earlier than the newest expiry of the lane: the caller keeps it apart. */
        boolean offer(long at, WorkingMemoryReteExpireAction expire) {
            if (size > 0 && at < times[(head + size - 1) & (times.length - 1)]) {
                return false;
            }
            if (size == times.length) {
                grow();
            }
            int i = (head + size) & (times.length - 1);
            times[i] = at;
            actions[i] = expire;
            size++;
            return true;
        }

        long headTime() {
            return size == 0 ? Long.MAX_VALUE : times[head];
        }

        WorkingMemoryReteExpireAction poll() {
            WorkingMemoryReteExpireAction a = actions[head];
            actions[head] = null;
            head = (head + 1) & (times.length - 1);
            size--;
            return a;
        }

        int size() {
            return size;
        }

        void dropDeleted() {
            int kept = 0;
            int mask = times.length - 1;
            for (int k = 0; k < size; k++) {
                int from = (head + k) & mask;
                WorkingMemoryReteExpireAction a = actions[from];
                actions[from] = null;
                if (a.getFactHandle().isValid()) {
                    int to = (head + kept) & mask;
                    times[to] = times[from];
                    actions[to] = a;
                    kept++;
                }
            }
            size = kept;
        }

        private void grow() {
            long[] t = new long[times.length * 2];
            WorkingMemoryReteExpireAction[] a = new WorkingMemoryReteExpireAction[times.length * 2];
            int mask = times.length - 1;
            for (int k = 0; k < size; k++) {
                t[k] = times[(head + k) & mask];
                a[k] = actions[(head + k) & mask];
            }
            times = t;
            actions = a;
            head = 0;
        }
    }
}
