package dev.nudge.engine;

/**
 * A day on which something happened for a customer: rules make one with {@code decisions.markDay(drools, $view,
 * "category-viewed", $category)}, at most one per customer, name, key and day, so a trigger can count days over a long
 * window ("views of a category on 3 days within 7") while the raw events are kept for hours. {@code day} is the
 * calendar day (2026-03-02) in the customer's time zone (their profile's, else {@code decisions.time-zone});
 * {@code eventTime} is the time of the first event that marked it.
 */
public record DayMark(String customerId, String name, String key, String day, long eventTime) {

    /** Event time in epoch milliseconds, the field Drools orders events by. */
    public long getEventTime() {
        return eventTime;
    }
}
