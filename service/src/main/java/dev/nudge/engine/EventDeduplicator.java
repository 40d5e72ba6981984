package dev.nudge.engine;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Remembers event ids for a window of event time, so a redelivered event is seen once; memory ends with the window. */
final class EventDeduplicator {

    private final long windowMillis;
    private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();

    EventDeduplicator(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    /** True the first time an id is offered within the window. */
    boolean firstSeen(String eventId, long eventTime) {
        return seen.putIfAbsent(eventId, eventTime) == null;
    }

    /** Forgets ids older than the window; arrival order is close to event time order, so this stops early. */
    void evictBefore(long watermark) {
        long cutoff = watermark - windowMillis;
        Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator();
        while (it.hasNext()) {
            if (it.next().getValue() >= cutoff) {
                return;
            }
            it.remove();
        }
    }

    int size() {
        return seen.size();
    }
}
