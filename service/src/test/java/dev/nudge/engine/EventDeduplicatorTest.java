package dev.nudge.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The compact deduplicator must answer exactly as the plain LinkedHashMap version it replaced. */
class EventDeduplicatorTest {

    /** The previous implementation, kept as the reference. */
    private static final class Reference {
        final long window;
        final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();

        Reference(long window) {
            this.window = window;
        }

        boolean firstSeen(String id, long time) {
            return seen.putIfAbsent(id, time) == null;
        }

        void evictBefore(long watermark) {
            Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator();
            while (it.hasNext()) {
                if (it.next().getValue() >= watermark - window) {
                    return;
                }
                it.remove();
            }
        }
    }

    @Test
    void answersAsTheLinkedHashMapVersionDid() {
        SplittableRandom rng = new SplittableRandom(3);
        long window = 10_000;
        EventDeduplicator dedup = new EventDeduplicator(window);
        Reference ref = new Reference(window);
        List<String> recent = new ArrayList<>();
        long time = 0;
        for (int n = 0; n < 300_000; n++) {
            // traffic that swells and ebbs, so the table grows and shrinks again
            time += (n / 50_000) % 2 == 0 ? rng.nextInt(3) : rng.nextInt(200);
            String id;
            int pick = rng.nextInt(100);
            if (pick < 5 && !recent.isEmpty()) {
                id = recent.get(rng.nextInt(recent.size())); // redelivery, maybe after the window
            } else if (pick < 15) {
                id = collidingId(rng.nextInt(2_000)); // same hashCode as others: long probe runs
            } else {
                id = Long.toHexString(rng.nextLong());
            }
            long eventTime = time - (rng.nextInt(20) == 0 ? rng.nextInt(30_000) : 0); // some late events
            assertEquals(ref.firstSeen(id, eventTime), dedup.firstSeen(id, eventTime), "offer #" + n + " of " + id);
            if (recent.size() < 5_000) {
                recent.add(id);
            } else {
                recent.set(rng.nextInt(recent.size()), id);
            }
            if (rng.nextInt(4) == 0) {
                ref.evictBefore(time);
                dedup.evictBefore(time);
                assertEquals(ref.seen.size(), dedup.size(), "size after eviction at #" + n);
            }
        }
        ref.evictBefore(time + 2 * window);
        dedup.evictBefore(time + 2 * window);
        assertEquals(0, dedup.size());
    }

    /** Strings built from "Aa" and "BB", which share a hashCode, so ids of one length all collide. */
    private static String collidingId(int n) {
        StringBuilder sb = new StringBuilder();
        for (int bit = 0; bit < 11; bit++) {
            sb.append((n >> bit & 1) == 0 ? "Aa" : "BB");
        }
        return sb.toString();
    }
}
