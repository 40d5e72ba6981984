package dev.nudge.engine;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which customer ids of one partition were merged into another id (their later events follow it), and which merges
 * this partition has already announced, so a visitor's every call naming both ids does not announce it again.
 */
final class Identities {

    /** Announcements remembered; one forgotten is announced again, which changes nothing. */
    private static final int ANNOUNCED = 100_000;

    private final Map<String, String> mergedInto = new HashMap<>();
    private final Map<String, String> announced = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > ANNOUNCED;
        }
    };

    /** The id {@code customer}'s events now belong to, or null when it was not merged. */
    String mergedInto(String customer) {
        return mergedInto.get(customer);
    }

    /** The newest merge of an id counts (a shared computer: the visitor logs in as someone else). */
    void merge(String customer, String into) {
        mergedInto.put(customer, into);
    }

    /** True the first time (as far as this partition remembers) that {@code previous} is said to be {@code customer}. */
    boolean announce(String previous, String customer) {
        return !customer.equals(announced.put(previous, customer));
    }

    int size() {
        return mergedInto.size();
    }
}
