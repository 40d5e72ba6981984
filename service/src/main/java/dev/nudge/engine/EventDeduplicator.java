package dev.nudge.engine;

/**
 * Remembers event ids for a window of event time, so a redelivered event is seen once; memory ends with the window.
 *
 * <p>It holds one id per event of the whole window (a day: a million ids at 1M events a day), so it is built for
 * size: an open-addressing hash set of the id strings plus a ring of (id, time) in arrival order, about 25 bytes per
 * id besides the string, where a {@code LinkedHashMap<String, Long>} took about 90 and made the collector chase an
 * entry and a boxed Long for each. Same behaviour: an id is new unless offered since the last eviction of it, and
 * eviction walks ids in arrival order and stops at the first one still inside the window.
 */
final class EventDeduplicator {

    private static final int MIN_CAPACITY = 1 << 10;

    private final long windowMillis;
    // linear probing, power-of-two size, at most half full; null is an empty slot (no tombstones: see remove)
    private String[] table = new String[MIN_CAPACITY];
    private int size;
    // arrival order: ids[head .. head + count) modulo the length, with their event times
    private String[] ringIds = new String[MIN_CAPACITY];
    private long[] ringTimes = new long[MIN_CAPACITY];
    private int head;
    private int count;

    EventDeduplicator(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    /** True the first time an id is offered within the window. */
    boolean firstSeen(String eventId, long eventTime) {
        int mask = table.length - 1;
        int i = slot(eventId, mask);
        for (String s; (s = table[i]) != null; i = (i + 1) & mask) {
            if (s.equals(eventId)) {
                return false;
            }
        }
        table[i] = eventId;
        size++;
        append(eventId, eventTime);
        if (size * 2 > table.length) {
            rehash(table.length * 2);
        }
        return true;
    }

    /** Forgets ids older than the window; arrival order is close to event time order, so this stops early. */
    void evictBefore(long watermark) {
        long cutoff = watermark - windowMillis;
        int ringMask = ringIds.length - 1;
        while (count > 0 && ringTimes[head] < cutoff) {
            remove(ringIds[head]);
            ringIds[head] = null;
            head = (head + 1) & ringMask;
            count--;
        }
        // give the memory back once the traffic that needed it has passed (all of it at once: after a long idle
        // jump this is the only call for a while)
        int tableCapacity = table.length;
        while (tableCapacity > MIN_CAPACITY && (long) size * 8 < tableCapacity) {
            tableCapacity /= 2;
        }
        if (tableCapacity != table.length) {
            rehash(tableCapacity);
        }
        int ringCapacity = ringIds.length;
        while (ringCapacity > MIN_CAPACITY && (long) count * 4 < ringCapacity) {
            ringCapacity /= 2;
        }
        if (ringCapacity != ringIds.length) {
            resizeRing(ringCapacity);
        }
    }

    int size() {
        return size;
    }

    private static int slot(String id, int mask) {
        int h = id.hashCode() * 0x9E3779B9; // spreads ids whose hashes differ only in high bits
        return (h ^ (h >>> 16)) & mask;
    }

    /** Deletes by shifting later entries of the probe run back, so lookups never need tombstones. */
    private void remove(String id) {
        int mask = table.length - 1;
        int i = slot(id, mask);
        while (table[i] != id && !id.equals(table[i])) {
            if (table[i] == null) {
                return; // cannot happen: every id in the ring is in the table once
            }
            i = (i + 1) & mask;
        }
        for (int j = (i + 1) & mask; table[j] != null; j = (j + 1) & mask) {
            int home = slot(table[j], mask);
            // the entry at j may fill the hole at i unless its home lies cyclically in (i, j]
            boolean stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!stays) {
                table[i] = table[j];
                i = j;
            }
        }
        table[i] = null;
        size--;
    }

    private void rehash(int capacity) {
        String[] old = table;
        table = new String[capacity];
        int mask = capacity - 1;
        for (String s : old) {
            if (s != null) {
                int i = slot(s, mask);
                while (table[i] != null) {
                    i = (i + 1) & mask;
                }
                table[i] = s;
            }
        }
    }

    private void append(String id, long time) {
        if (count == ringIds.length) {
            resizeRing(ringIds.length * 2);
        }
        int tail = (head + count) & (ringIds.length - 1);
        ringIds[tail] = id;
        ringTimes[tail] = time;
        count++;
    }

    private void resizeRing(int capacity) {
        String[] ids = new String[capacity];
        long[] times = new long[capacity];
        int mask = ringIds.length - 1;
        for (int k = 0; k < count; k++) {
            ids[k] = ringIds[(head + k) & mask];
            times[k] = ringTimes[(head + k) & mask];
        }
        ringIds = ids;
        ringTimes = times;
        head = 0;
    }
}
