package dev.nudge.engine;

import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ids of events that arrived long after newer ones of their partition (a phone that was offline, a replayed
 * backlog). They still update what the rules know, but a decision they trigger is not a real-time mail any more.
 */
final class StaleEvents {

    private final long staleAfterMillis;
    private final long keepMillis;
    private final LinkedHashMap<String, Long> ids = new LinkedHashMap<>();

    /** {@code keepMillis}: how long an id is remembered, at least as long as a rule may still fire on it. */
    StaleEvents(long staleAfterMillis, long keepMillis) {
        this.staleAfterMillis = staleAfterMillis;
        this.keepMillis = keepMillis;
    }

    /** Notes the event if it is older than the limit compared with the newest event time seen before it. */
    boolean check(String eventId, long eventTime, long newestBefore) {
        if (newestBefore == Long.MIN_VALUE || newestBefore - eventTime <= staleAfterMillis) {
            return false;
        }
        ids.put(eventId, eventTime);
        return true;
    }

    boolean anyOf(Collection<String> eventIds) {
        if (ids.isEmpty()) {
            return false;
        }
        for (String id : eventIds) {
            if (ids.containsKey(id)) {
                return true;
            }
        }
        return false;
    }

    void evictBefore(long watermark) {
        Iterator<Map.Entry<String, Long>> it = ids.entrySet().iterator();
        while (it.hasNext()) {
            if (it.next().getValue() >= watermark - keepMillis) {
                return;
            }
            it.remove();
        }
    }
}
