package dev.nudge.engine;

import dev.nudge.event.CustomerEvent;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The small facts long windows count instead of raw events ({@link DayMark}, one per customer, name, key and day;
 * {@link KeyDecided}, one per decided mail): which exist, so none is made twice (a replay after a restart marks the
 * same days again), when each is forgotten (its {@code @expires} in the rules), and, for the pipeline, which were made
 * or forgotten since it last asked, so that they outlive a restart in the compacted customers topic.
 */
final class Marks {

    private long dayMillis;
    private long decidedMillis;
    private long decisionsMillis;
    private final QuietHours zones;
    // the profile time zone of each customer who has one: "a day" is a day in it
    private final Map<String, String> timeZones = new HashMap<>();
    private final Map<String, Object> known = new HashMap<>();
    private final PriorityQueue<Due> forgetting = new PriorityQueue<>(Comparator.comparingLong(Due::at));
    private final List<MarkChange> changes = new ArrayList<>();
    private boolean recording;

    private record Due(long at, String key, Object mark) {
    }

    /** Marks kept by no retention yet ({@link #retentions}); days counted in {@code zones}' default time zone. */
    Marks(QuietHours zones) {
        this.zones = zones;
    }

    /**
     * The rules' {@code @expires} of {@link DayMark} and {@link KeyDecided} (0 when not declared: then none is made),
     * and of {@link DecisionMade}, which re-eligibility counts when it is long enough. Reloaded rules may declare
     * others: marks made from then on are kept and forgotten by them.
     */
    void retentions(long dayMillis, long decidedMillis, long decisionsMillis) {
        this.dayMillis = dayMillis;
        this.decidedMillis = decidedMillis;
        this.decisionsMillis = decisionsMillis;
    }

    /** The customer's profile names this time zone (or none): their days are counted in it from now on. */
    void timeZone(String customerId, String timeZone) {
        if (timeZone == null || timeZone.isBlank()) {
            timeZones.remove(customerId);
        } else {
            timeZones.put(customerId, timeZone);
        }
    }

    /** The calendar day of {@code eventTime} in the customer's time zone, else in decisions.time-zone. */
    String dayOf(String customerId, long eventTime) {
        return LocalDate.ofInstant(Instant.ofEpochMilli(eventTime), zones.zoneOf(timeZones.get(customerId))).toString();
    }

    /** The mark of the event's day, to insert; null when that day is marked already or there is no key. */
    DayMark day(CustomerEvent event, String name, String key) {
        if (dayMillis == 0) {
            throw new IllegalStateException("decisions.markDay needs DayMark declared with its @expires in the rules "
                    + "(events.drl: declare DayMark @role(event) @timestamp(eventTime) @expires(8d) end)");
        }
        if (name == null || key == null) {
            return null;
        }
        DayMark mark = new DayMark(event.customerId(), name, key, dayOf(event.customerId(), event.getEventTime()),
                event.getEventTime());
        return remember(mark, true) ? mark : null;
    }

    /**
     * The re-eligibility mark of a decided mail, to insert; null when its trigger's {@code @reEligibility} is no longer
     * than decisions are kept (the DecisionMade counts), or the rules do not declare KeyDecided.
     */
    KeyDecided decided(String decisionId, String campaign, String customerId, String key, long decidedAt,
                       long reEligibilityMillis) {
        if (decidedMillis == 0 || decisionsMillis == 0 || reEligibilityMillis <= decisionsMillis) {
            return null;
        }
        KeyDecided mark = new KeyDecided(decisionId, campaign, customerId, key, decidedAt);
        return remember(mark, true) ? mark : null;
    }

    /** A mark kept from before a restart, to insert; null when it is known already or forgotten by now. */
    Object restored(Object mark) {
        boolean declared = mark instanceof DayMark ? dayMillis > 0 : mark instanceof KeyDecided && decidedMillis > 0;
        return declared && remember(mark, false) ? mark : null;
    }

    private boolean remember(Object mark, boolean made) {
        String key = keyOf(mark);
        Object old = known.get(key);
        if (mark instanceof DayMark && old != null) {
            return false; // the day is marked: the first event of the day stands
        }
        if (mark instanceof KeyDecided k && old instanceof KeyDecided o) {
            if (o.decisionId().equals(k.decisionId())) {
                return false; // the same decision, decided again by a replay
            }
            if (o.decidedAt() > k.decidedAt()) {
                return true; // an older decision replayed: a fact again, but the newer one stays the kept one
            }
        }
        known.put(key, mark);
        forgetting.add(new Due(timeOf(mark) + (mark instanceof DayMark ? dayMillis : decidedMillis), key, mark));
        if (made && recording) {
            changes.add(new MarkChange(key, mark));
        }
        return true;
    }

    /** Forgets marks the rules have forgotten by {@code watermark} (their @expires has passed). */
    void forgetBefore(long watermark) {
        while (!forgetting.isEmpty() && forgetting.peek().at() < watermark) {
            Due due = forgetting.poll();
            // a newer decision about the same key replaced it, and is forgotten in its own time
            if (known.get(due.key()) == due.mark()) {
                known.remove(due.key());
                if (recording) {
                    changes.add(new MarkChange(due.key(), null));
                }
            }
        }
    }

    /** From now on, collects the marks made and forgotten for {@link #drain}: only the pipeline keeps them. */
    void record() {
        recording = true;
    }

    /** The marks made and forgotten since the last call. */
    List<MarkChange> drain() {
        if (changes.isEmpty()) {
            return List.of();
        }
        List<MarkChange> out = List.copyOf(changes);
        changes.clear();
        return out;
    }

    int size() {
        return known.size();
    }

    /** The key a mark is kept by outside the engine: one per customer, name, key and day; one per campaign and key. */
    static String keyOf(Object mark) {
        if (mark instanceof DayMark d) {
            return d.customerId() + "/day/" + d.name() + "/" + d.key() + "/" + d.day();
        }
        KeyDecided k = (KeyDecided) mark;
        return k.customerId() + "/decided/" + k.campaign() + "/" + k.key();
    }

    private static long timeOf(Object mark) {
        return mark instanceof DayMark d ? d.eventTime() : ((KeyDecided) mark).decidedAt();
    }
}
